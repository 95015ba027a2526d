import { describeEventStoreContract } from '@strata/core/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './sqlite-event-store';

const dir = mkdtempSync(join(tmpdir(), 'strata-sqlite-contract-'));
let n = 0;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEventStoreContract('sqlite (file, synchronous FULL)', () =>
  Promise.resolve(SqliteEventStore.open({ filename: join(dir, `contract-${n++}.db`) })),
);
describeEventStoreContract('sqlite (file, synchronous NORMAL)', () =>
  Promise.resolve(SqliteEventStore.open({ filename: join(dir, `contract-${n++}.db`), synchronous: 'NORMAL' })),
);
