import { InMemoryDocumentStore } from '../documents/in-memory-document-store';
import { InMemoryEventStore } from '../event-store/in-memory-event-store';
import { describeParkedOrderContract } from '../testing/parked-order.contract';
import { describeProjectionOperationsContract } from '../testing/projection-operations.contract';
import { describeProjectionReplayContract } from '../testing/projection-replay.contract';
import { describeProjectionRunnerContract } from '../testing/projection-runner.contract';
import { describeProjectionVersionsContract } from '../testing/projection-versions.contract';

const inMemory = async () => {
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
};

describeProjectionRunnerContract('in memory', inMemory);
describeProjectionReplayContract('in memory', inMemory);
describeProjectionOperationsContract('in memory', inMemory);
describeParkedOrderContract('in memory', inMemory);
describeProjectionVersionsContract('in memory', inMemory);
