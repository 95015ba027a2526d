import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { describeProjectionRunnerContract } from '../testing/projection-runner.contract';

describeProjectionRunnerContract('in memory', async () => {
  const events = new InMemoryEventStore();
  const documents = new InMemoryDocumentStore();
  return Promise.resolve({
    events,
    documents,
    connectAgain: () => Promise.resolve({ events, documents }),
    close: async () => {
      await Promise.all([events.close(), documents.close()]);
    },
  });
});
