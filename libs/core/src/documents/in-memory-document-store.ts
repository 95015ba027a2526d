import { BackendDocumentStore } from './backend-document-store';
import { InMemoryDocumentBackend } from './in-memory-document-backend';

/** A document store in process memory, for unit tests; it passes the same contract as the durable ones. */
export class InMemoryDocumentStore extends BackendDocumentStore {
  constructor() {
    super(new InMemoryDocumentBackend(), 'in-memory');
  }
}
