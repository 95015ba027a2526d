import { describeParkedOrderContract, describeProjectionOperationsContract, describeProjectionReplayContract, describeProjectionRunnerContract, describeProjectionVersionsContract, type ProjectionStores } from '@strata/core/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteDocumentStore } from './documents/sqlite-document-store';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-projections-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Events and documents in one file, each store on its own connection, as the adapter opens them;
// `connectAgain` opens two more connections, as a second process would.
const sqlite = async () => {
  const filename = join(dir, `runner-${n++}.db`);
  const connect = (): ProjectionStores => ({ events: SqliteEventStore.open({ filename }), documents: SqliteDocumentStore.open({ filename }) });
  const opened: ProjectionStores[] = [connect()];
  return Promise.resolve({
    ...(opened[0] as ProjectionStores),
    connectAgain: () => {
      const again = connect();
      opened.push(again);
      return Promise.resolve(again);
    },
    close: async () => {
      for (const stores of opened) await Promise.all([stores.events.close(), stores.documents.close()]);
    },
  });
};

describeProjectionRunnerContract('sqlite (one file, separate connections)', sqlite);
describeProjectionReplayContract('sqlite (one file, separate connections)', sqlite);
describeProjectionOperationsContract('sqlite (one file, separate connections)', sqlite);
describeParkedOrderContract('sqlite (one file, separate connections)', sqlite);
describeProjectionVersionsContract('sqlite (one file, separate connections)', sqlite);
