import { ConfigurationError } from '@strata/core';
import { resolveEventStore } from '@strata/core/adapter';
import { mongodbAdapter, mongodbOptionsFromEnv } from './mongodb-adapter';
import { assertTransactionsSupported } from './replica-set';

describe('mongodbAdapter configuration', () => {
  it('requires MONGODB_URL and defaults the database to strata', () => {
    expect(() => mongodbOptionsFromEnv({})).toThrow(/^MONGODB_URL: is not set.*replicaSet=rs0/);
    expect(mongodbOptionsFromEnv({ MONGODB_URL: 'mongodb://mongo:27017/?replicaSet=rs0' })).toEqual({
      url: 'mongodb://mongo:27017/?replicaSet=rs0',
      database: 'strata',
    });
    expect(mongodbOptionsFromEnv({ MONGODB_URL: 'mongodb+srv://cluster.example.net', MONGODB_DATABASE: 'bank' }).database).toBe('bank');
  });

  it('refuses other schemes (hiding the password) and bad database names', () => {
    expect(() => mongodbOptionsFromEnv({ MONGODB_URL: 'postgres://u:secret@h/db' })).toThrow(/^MONGODB_URL: 'postgres:\/\/u:\*\*\*@h\/db' is not/);
    expect(() => mongodbOptionsFromEnv({ MONGODB_URL: 'mongodb://h', MONGODB_DATABASE: 'a/b' })).toThrow(/^MONGODB_DATABASE: /);
  });

  it('keeps no event log: selecting it as the event store says what to do instead, and offers only stores that keep one', async () => {
    expect(mongodbAdapter().createEventStore).toBeUndefined();
    const choose = resolveEventStore({ adapters: [mongodbAdapter()], env: { STRATA_EVENT_STORE: 'mongodb' } });
    await expect(choose).rejects.toThrow(ConfigurationError);
    await expect(choose).rejects.toThrow(
      "STRATA_EVENT_STORE: 'mongodb' keeps read models, not the event log. Set it to one of: memory, and STRATA_READ_STORE=mongodb to keep the read models there.",
    );
    await expect(resolveEventStore({ adapters: [mongodbAdapter()], env: { STRATA_EVENT_STORE: 'postgres' } })).rejects.toThrow(
      "STRATA_EVENT_STORE: 'postgres' is not an event store this app knows. Set it to one of: memory.",
    );
  });
});

describe('refusing a standalone server', () => {
  it('accepts a replica set member and a mongos router', () => {
    expect(() => assertTransactionsSupported({ setName: 'rs0', isWritablePrimary: true })).not.toThrow();
    expect(() => assertTransactionsSupported({ msg: 'isdbgrid' })).not.toThrow();
  });

  it('refuses a standalone server, saying why and how to fix it', () => {
    expect(() => assertTransactionsSupported({ isWritablePrimary: true })).toThrow(ConfigurationError);
    expect(() => assertTransactionsSupported({ isWritablePrimary: true })).toThrow(/^MONGODB_URL: .*standalone.*replica set.*--replSet rs0.*rs\.initiate\(\)/);
  });
});
