import { ConfigurationError } from '@strata/core';
import { transferTimeoutMsFrom } from './bank-config';

describe('transferTimeoutMsFrom', () => {
  it('waits 30 s by default', () => {
    expect(transferTimeoutMsFrom({})).toBe(30_000);
    expect(transferTimeoutMsFrom({ TRANSFER_TIMEOUT_MS: ' ' })).toBe(30_000);
  });

  it('takes TRANSFER_TIMEOUT_MS', () => {
    expect(transferTimeoutMsFrom({ TRANSFER_TIMEOUT_MS: '250' })).toBe(250);
    expect(transferTimeoutMsFrom({ TRANSFER_TIMEOUT_MS: '86400000' })).toBe(86_400_000);
  });

  it.each(['0', '-5', '1.5', '30s', '86400001'])('refuses TRANSFER_TIMEOUT_MS=%p, naming the variable', (value) => {
    expect(() => transferTimeoutMsFrom({ TRANSFER_TIMEOUT_MS: value })).toThrow(ConfigurationError);
    expect(() => transferTimeoutMsFrom({ TRANSFER_TIMEOUT_MS: value })).toThrow(/^TRANSFER_TIMEOUT_MS: '.*' is not a whole number of milliseconds from 1 to 86400000\.$/);
  });
});
