import { EVENT_TYPE, STREAM_NAME, type PrefixesFilter, type RegexFilter } from '@kurrent/kurrentdb-client';
import { buildServerFilter, exactly } from './read-all-filter';
import { StreamNamespace } from './stream-namespace';

const whole = new StreamNamespace();

describe('readAll filters for KurrentDB', () => {
  it('excludes system events when nothing else is asked', () => {
    const { filter } = buildServerFilter(undefined, whole);
    expect(filter.filterOn).toBe(EVENT_TYPE);
    const regex = new RegExp((filter as RegexFilter).regex);
    expect(regex.test('AccountOpened')).toBe(true);
    expect(regex.test('$metadata')).toBe(false);
  });

  it('matches event types exactly, with regex characters escaped', () => {
    const { filter } = buildServerFilter({ eventTypes: ['Money.Deposited', 'A+B'] }, whole);
    const regex = new RegExp((filter as RegexFilter).regex);
    expect(['Money.Deposited', 'A+B'].every((type) => regex.test(type))).toBe(true);
    expect(['MoneyXDeposited', 'Money.DepositedLater', 'AAB', 'xA+B'].some((type) => regex.test(type))).toBe(false);
    expect(new RegExp(exactly([])).test('')).toBe(false);
  });

  it('filters stream prefixes on the server', () => {
    const { filter, accepts } = buildServerFilter({ streamPrefixes: ['Account-', 'Transfer-'] }, whole);
    expect(filter.filterOn).toBe(STREAM_NAME);
    expect((filter as PrefixesFilter).prefixes).toEqual(['Account-', 'Transfer-']);
    expect(accepts('$>', 'Account-1')).toBe(false);
  });

  it('inside a namespace filters on its prefix and checks event types on what comes back', () => {
    const namespace = new StreamNamespace('t1-');
    const byType = buildServerFilter({ eventTypes: ['A'] }, namespace);
    expect((byType.filter as PrefixesFilter).prefixes).toEqual(['t1-']);
    expect(byType.accepts('A', 't1-S')).toBe(true);
    expect(byType.accepts('B', 't1-S')).toBe(false);
    const byPrefix = buildServerFilter({ streamPrefixes: ['Account-'] }, namespace);
    expect((byPrefix.filter as PrefixesFilter).prefixes).toEqual(['t1-Account-']);
    expect(namespace.unqualify('t1-Account-1')).toBe('Account-1');
    expect(namespace.unqualify('t2-Account-1')).toBeNull();
  });
});
