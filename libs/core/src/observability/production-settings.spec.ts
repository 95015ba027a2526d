import { shutdownSettingsFrom } from '../lifecycle/shutdown-settings';
import { throttleSettingsFrom } from '../throttling/throttle-settings';
import { readinessSettingsFrom } from './readiness-settings';

// Each reader takes its variables from the environment, with defaults, and names the variable it refuses.
describe('production settings', () => {
  it('defaults: throttling off, 60 s window; ready within 1000 events and 30 s; shutdown within 10 s, no delay', () => {
    expect(throttleSettingsFrom({})).toEqual({ limit: null, ttlMs: 60_000 });
    expect(readinessSettingsFrom({})).toEqual({ maxLagEvents: 1_000, maxLagSeconds: 30, readyWhileBuilding: false });
    expect(shutdownSettingsFrom({})).toEqual({ timeoutMs: 10_000, delayMs: 0 });
  });

  it('reads every variable', () => {
    expect(throttleSettingsFrom({ STRATA_THROTTLE_LIMIT: '100', STRATA_THROTTLE_TTL_MS: '1000' })).toEqual({ limit: 100, ttlMs: 1_000 });
    expect(readinessSettingsFrom({ STRATA_READY_MAX_LAG_EVENTS: '0', STRATA_READY_MAX_LAG_SECONDS: '5', STRATA_READY_WHILE_BUILDING: 'true' })).toEqual({ maxLagEvents: 0, maxLagSeconds: 5, readyWhileBuilding: true });
    expect(shutdownSettingsFrom({ STRATA_SHUTDOWN_TIMEOUT_MS: '2500', STRATA_SHUTDOWN_DELAY_MS: '300' })).toEqual({ timeoutMs: 2_500, delayMs: 300 });
  });

  it.each<[string, () => unknown]>([
    ['STRATA_THROTTLE_LIMIT', () => throttleSettingsFrom({ STRATA_THROTTLE_LIMIT: '0' })],
    ['STRATA_THROTTLE_LIMIT', () => throttleSettingsFrom({ STRATA_THROTTLE_LIMIT: 'lots' })],
    ['STRATA_THROTTLE_TTL_MS', () => throttleSettingsFrom({ STRATA_THROTTLE_TTL_MS: '1m' })],
    ['STRATA_READY_MAX_LAG_EVENTS', () => readinessSettingsFrom({ STRATA_READY_MAX_LAG_EVENTS: '-1' })],
    ['STRATA_READY_MAX_LAG_SECONDS', () => readinessSettingsFrom({ STRATA_READY_MAX_LAG_SECONDS: '1.5' })],
    ['STRATA_SHUTDOWN_TIMEOUT_MS', () => shutdownSettingsFrom({ STRATA_SHUTDOWN_TIMEOUT_MS: '50' })],
    ['STRATA_SHUTDOWN_DELAY_MS', () => shutdownSettingsFrom({ STRATA_SHUTDOWN_DELAY_MS: 'soon' })],
  ])('refuses a bad %s, naming it', (variable, read) => {
    expect(read).toThrow(new RegExp(`^${variable}: '.*' is not a whole number from \\d+ to \\d+\\.$`));
  });

  it('refuses a STRATA_READY_WHILE_BUILDING other than true or false, naming it', () => {
    expect(() => readinessSettingsFrom({ STRATA_READY_WHILE_BUILDING: 'yes' })).toThrow("STRATA_READY_WHILE_BUILDING: 'yes' is not true or false.");
  });
});
