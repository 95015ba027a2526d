import { StrataError } from '@strata/core';
import { cliSettingsFrom } from './cli-settings';
import { EXIT, exitCodeOf, UsageError } from './cli-errors';

describe('CLI settings and exit codes', () => {
  it('reads STRATA_CLI_PROGRESS_MS, defaulting to 5 seconds, and names it when it is wrong', () => {
    expect(cliSettingsFrom({})).toEqual({ progressIntervalMs: 5_000 });
    expect(cliSettingsFrom({ STRATA_CLI_PROGRESS_MS: '250' })).toEqual({ progressIntervalMs: 250 });
    expect(() => cliSettingsFrom({ STRATA_CLI_PROGRESS_MS: '5s' })).toThrow("STRATA_CLI_PROGRESS_MS: '5s' is not a whole number");
  });

  it('exits 2 for what names something unknown or is malformed, 1 for everything else', () => {
    expect(exitCodeOf(new UsageError('bad flag'))).toBe(EXIT.usage);
    expect(exitCodeOf(new StrataError('UNKNOWN_PROJECTION', 'x'))).toBe(EXIT.usage);
    expect(exitCodeOf(new StrataError('REPLAY_IN_PROGRESS', 'x'))).toBe(EXIT.failure);
    expect(exitCodeOf(new Error('disk full'))).toBe(EXIT.failure);
  });
});
