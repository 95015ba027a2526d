import { newEntityId } from './new-entity-id';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('newEntityId', () => {
  it('is a fresh random UUID without an Idempotency-Key', () => {
    const first = newEntityId('account', {});
    expect(first).toMatch(UUID);
    expect(newEntityId('account', {})).not.toBe(first);
  });

  it('is derived from the key, so a repeated create reaches the same entity', () => {
    expect(newEntityId('account', { commandId: 'k1' })).toBe(newEntityId('account', { commandId: 'k1' }));
    expect(newEntityId('account', { commandId: 'k1' })).toMatch(UUID);
    expect(newEntityId('account', { commandId: 'k2' })).not.toBe(newEntityId('account', { commandId: 'k1' }));
  });

  it('differs per kind and per user, so one user\'s key never leads to another\'s entity', () => {
    expect(newEntityId('transfer', { commandId: 'k1' })).not.toBe(newEntityId('account', { commandId: 'k1' }));
    expect(newEntityId('account', { commandId: 'k1', user: 'ada' })).not.toBe(newEntityId('account', { commandId: 'k1', user: 'grace' }));
    expect(newEntityId('account', { commandId: 'k1', user: 'ada' })).toBe(newEntityId('account', { commandId: 'k1', user: 'ada' }));
  });
});
