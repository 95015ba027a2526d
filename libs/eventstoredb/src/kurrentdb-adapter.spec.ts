import { ConfigurationError } from '@strata/core';
import { connectKurrentDb, kurrentdbAdapter, kurrentdbUrlFromEnv } from './kurrentdb-adapter';

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
