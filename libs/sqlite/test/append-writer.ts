// A child process for the crash and multi-process tests: it appends to one stream in a loop
// and prints `ack <eventId>` after each append the store acknowledged.
import { StreamNotFoundError, WrongExpectedRevisionError } from '@strata/core/adapter';
import { randomUUID } from 'node:crypto';
import { SqliteEventStore } from '../src/sqlite-event-store';

const [filename, streamId, countText, mode] = process.argv.slice(2);
if (!filename || !streamId || !countText) {
  process.stderr.write('usage: append-writer <file> <stream> <count|forever> [optimistic]\n');
  process.exit(2);
}
const limit = countText === 'forever' ? Number.POSITIVE_INFINITY : Number(countText);
const store = SqliteEventStore.open({ filename, synchronous: 'FULL' });

async function currentRevision(): Promise<bigint | 'no_stream'> {
  try {
    for await (const event of store.readStream(streamId as string, { direction: 'backwards', maxCount: 1 })) {
      return event.revision;
    }
  } catch (error) {
    // A missing stream is expected on the first append; anything else is the test's failure.
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
  return 'no_stream';
}

async function main(): Promise<void> {
  for (let i = 0; i < limit; i++) {
    const id = randomUUID();
    for (;;) {
      const expectedRevision = mode === 'optimistic' ? await currentRevision() : 'any';
      try {
        await store.appendToStream(streamId as string, [{ id, type: 'Written', data: { i, pid: process.pid } }], {
          expectedRevision,
        });
        break;
      } catch (error) {
        if (!(error instanceof WrongExpectedRevisionError)) throw error;
      }
    }
    process.stdout.write(`ack ${id}\n`);
  }
  await store.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
