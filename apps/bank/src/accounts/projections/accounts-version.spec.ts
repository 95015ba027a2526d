import { accountsVersionFrom } from './accounts-version';

describe('BANK_ACCOUNTS_VERSION', () => {
  it('is 1 unless set, and 1 or 2 as set', () => {
    expect(accountsVersionFrom({})).toBe(1);
    expect(accountsVersionFrom({ BANK_ACCOUNTS_VERSION: ' ' })).toBe(1);
    expect(accountsVersionFrom({ BANK_ACCOUNTS_VERSION: '1' })).toBe(1);
    expect(accountsVersionFrom({ BANK_ACCOUNTS_VERSION: '2' })).toBe(2);
  });

  it.each(['3', '0', 'two', '2.0'])("refuses '%s', naming the variable and the versions there are", (text) => {
    expect(() => accountsVersionFrom({ BANK_ACCOUNTS_VERSION: text })).toThrow(
      `BANK_ACCOUNTS_VERSION: '${text}' is not a version of the accounts projection this build has: use 1 or 2.`,
    );
  });
});
