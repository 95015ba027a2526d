import { Injectable } from '@nestjs/common';
import { DocumentStore } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';
import type { ReadonlyCollection } from './readonly-collection';

/** Read-only access to projected collections, for query handlers. */
@Injectable()
export class ReadModels {
  constructor(private readonly store: DocumentStore) {}

  collection<T extends BaseDocument = AnyDocument>(name: string): ReadonlyCollection<T> {
    const collection = this.store.collection<T>(name);
    return {
      findOne: (filter, options) => collection.findOne(filter, options),
      find: (filter, options) => collection.find(filter, options),
      countDocuments: (filter) => collection.countDocuments(filter),
    };
  }
}
