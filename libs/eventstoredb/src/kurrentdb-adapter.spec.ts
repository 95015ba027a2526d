import { ConfigurationError, type Position, type RecordedEvent } from '@strata/core';
import { connectKurrentDb, kurrentdbAdapter, kurrentdbUrlFromEnv } from './kurrentdb-adapter';
import { findRepeat } from './repeated-append';

describe('kurrentdbAdapter configuration', () => {
  it('requires KURRENTDB_URL, naming the variable and an example', () => {
    const error = (() => {
      try {
        kurrentdbUrlFromEnv({});
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(String((error as Error).message)).toMatch(/^KURRENTDB_URL: .*kurrentdb:\/\/localhost:2113\?tls=false/);
  });

  it('accepts the KurrentDB and EventStoreDB schemes and refuses others, hiding passwords', () => {
    for (const url of ['kurrentdb://localhost:2113?tls=false', 'kurrentdb+discover://a,b,c', 'esdb://admin:changeit@h:2113']) {
      expect(kurrentdbUrlFromEnv({ KURRENTDB_URL: ` ${url} ` })).toBe(url);
    }
    expect(() => kurrentdbUrlFromEnv({ KURRENTDB_URL: 'http://admin:secret@localhost:2113' })).toThrow(/^KURRENTDB_URL: 'http:\/\/admin:\*\*\*@localhost:2113' is not/);
  });

  it('accepts kurrent:// and kurrent+discover://, as the client does, and connects with them', async () => {
    for (const url of ['kurrent://localhost:2113?tls=false', 'kurrent+discover://a:2113,b:2113?tls=false']) {
      expect(kurrentdbUrlFromEnv({ KURRENTDB_URL: url })).toBe(url);
      await connectKurrentDb({ KURRENTDB_URL: url }).dispose();
    }
  });

  it('fails at start-up through the adapter, before connecting anywhere', () => {
    expect(() => kurrentdbAdapter().createEventStore({ KURRENTDB_URL: 'mongodb://x' })).toThrow(ConfigurationError);
    expect(kurrentdbAdapter().createDocumentStore).toBeUndefined();
  });
});

describe('recognising a repeated append in a stream', () => {
  const recorded = (id: string, revision: bigint): RecordedEvent => ({
    id,
    type: 'T',
    data: {},
    streamId: 'S-1',
    revision,
    position: `p${revision}` as Position,
    metadata: {},
    createdAt: new Date(0),
  });
  const newestFirst = [recorded('c', 2n), recorded('b', 1n), recorded('a', 0n)];

  it('returns the first result for the same ids at the same place', () => {
    expect(findRepeat('S-1', 'any', ['a', 'b'], newestFirst)).toEqual({ nextRevision: 1n, position: 'p1' });
    expect(findRepeat('S-1', 'no_stream', ['a', 'b'], newestFirst)).toEqual({ nextRevision: 1n, position: 'p1' });
  });

  it('is none of its business when no id is there', () => {
    expect(findRepeat('S-1', 'any', ['x'], newestFirst)).toBeUndefined();
  });

  it('refuses a partial repeat and a repeat at another expected revision', () => {
    expect(() => findRepeat('S-1', 'any', ['c', 'x'], newestFirst)).toThrow(expect.objectContaining({ code: 'DUPLICATE_EVENT_ID' }) as Error);
    expect(() => findRepeat('S-1', 5n, ['b'], newestFirst)).toThrow(expect.objectContaining({ code: 'WRONG_EXPECTED_REVISION', actual: 2n }) as Error);
  });
});
