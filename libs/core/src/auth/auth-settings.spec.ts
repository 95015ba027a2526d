import { ConfigurationError } from '../errors/strata-error';
import { authSettingsFrom } from './auth-settings';

const SECRET = 's'.repeat(32);
const jwt = { STRATA_AUTH: 'jwt', STRATA_JWT_ISSUER: 'https://issuer.example', STRATA_JWT_AUDIENCE: 'bank' };

function refusal(env: Record<string, string>): ConfigurationError {
  try {
    authSettingsFrom(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('authSettingsFrom', () => {
  it('is off unless STRATA_AUTH says jwt', () => {
    expect(authSettingsFrom({})).toEqual({ mode: 'off' });
    expect(authSettingsFrom({ STRATA_AUTH: ' off ' })).toEqual({ mode: 'off' });
  });

  it('reads issuer, audience and an HMAC secret, defaulting to HS256', () => {
    expect(authSettingsFrom({ ...jwt, STRATA_JWT_SECRET: SECRET })).toEqual({ mode: 'jwt', algorithm: 'HS256', key: SECRET, issuer: jwt.STRATA_JWT_ISSUER, audience: 'bank' });
  });

  it('reads a one-line PEM public key with RS256 by default', () => {
    const settings = authSettingsFrom({ ...jwt, STRATA_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----\\nAAA\\n-----END PUBLIC KEY-----' });
    expect(settings).toMatchObject({ algorithm: 'RS256', key: '-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----' });
  });

  it.each<[string, Record<string, string>, string]>([
    ['an unknown mode', { STRATA_AUTH: 'basic' }, 'STRATA_AUTH'],
    ['no issuer', { ...jwt, STRATA_JWT_ISSUER: '', STRATA_JWT_SECRET: SECRET }, 'STRATA_JWT_ISSUER'],
    ['no audience', { ...jwt, STRATA_JWT_AUDIENCE: ' ', STRATA_JWT_SECRET: SECRET }, 'STRATA_JWT_AUDIENCE'],
    ['no key', jwt, 'STRATA_JWT_SECRET'],
    ['both keys', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_JWT_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' }, 'STRATA_JWT_SECRET'],
    ['a short secret', { ...jwt, STRATA_JWT_SECRET: 'short' }, 'STRATA_JWT_SECRET'],
    ['an asymmetric algorithm with a secret', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_JWT_ALGORITHM: 'RS256' }, 'STRATA_JWT_ALGORITHM'],
    ['alg none', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_JWT_ALGORITHM: 'none' }, 'STRATA_JWT_ALGORITHM'],
    ['a public key that is not PEM', { ...jwt, STRATA_JWT_PUBLIC_KEY: 'abc' }, 'STRATA_JWT_PUBLIC_KEY'],
  ])('refuses %s, naming %s', (_case, env, variable) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: `));
  });
});
