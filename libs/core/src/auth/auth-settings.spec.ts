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
    expect(authSettingsFrom({ ...jwt, STRATA_JWT_SECRET: SECRET })).toEqual({
      mode: 'jwt',
      algorithm: 'HS256',
      key: SECRET,
      issuer: jwt.STRATA_JWT_ISSUER,
      audience: 'bank',
      clockToleranceSeconds: 30,
      docsPublic: false,
    });
  });

  it('reads a JWKS URL with its fetch settings, a clock tolerance and public docs', () => {
    const settings = authSettingsFrom({
      ...jwt,
      STRATA_JWT_JWKS_URL: 'https://id.example/.well-known/jwks.json',
      STRATA_JWT_JWKS_TIMEOUT_MS: '1500',
      STRATA_JWT_JWKS_COOLDOWN_MS: '10000',
      STRATA_JWT_CLOCK_TOLERANCE_SECONDS: '5',
      STRATA_DOCS_PUBLIC: 'true',
    });
    expect(settings).toEqual({
      mode: 'jwt',
      algorithm: 'RS256',
      issuer: jwt.STRATA_JWT_ISSUER,
      audience: 'bank',
      clockToleranceSeconds: 5,
      docsPublic: true,
      jwks: { url: 'https://id.example/.well-known/jwks.json', timeoutMs: 1500, cacheMs: 600_000, cooldownMs: 10_000 },
    });
  });

  it('lets a JWKS on localhost be plain http, for a provider on the same machine', () => {
    expect(authSettingsFrom({ ...jwt, STRATA_JWT_JWKS_URL: 'http://127.0.0.1:8080/jwks' })).toMatchObject({ jwks: { url: 'http://127.0.0.1:8080/jwks' } });
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
    ['a secret and a JWKS URL', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_JWT_JWKS_URL: 'https://id.example/jwks' }, 'STRATA_JWT_SECRET'],
    ['a JWKS URL that is not one', { ...jwt, STRATA_JWT_JWKS_URL: 'id.example/jwks' }, 'STRATA_JWT_JWKS_URL'],
    ['a JWKS URL over plain http to another host', { ...jwt, STRATA_JWT_JWKS_URL: 'http://id.example/jwks' }, 'STRATA_JWT_JWKS_URL'],
    ['an HMAC algorithm with a JWKS', { ...jwt, STRATA_JWT_JWKS_URL: 'https://id.example/jwks', STRATA_JWT_ALGORITHM: 'HS256' }, 'STRATA_JWT_ALGORITHM'],
    ['a JWKS timeout of 0', { ...jwt, STRATA_JWT_JWKS_URL: 'https://id.example/jwks', STRATA_JWT_JWKS_TIMEOUT_MS: '0' }, 'STRATA_JWT_JWKS_TIMEOUT_MS'],
    ['a clock tolerance that is not a number', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_JWT_CLOCK_TOLERANCE_SECONDS: 'a bit' }, 'STRATA_JWT_CLOCK_TOLERANCE_SECONDS'],
    ['docs public set to yes', { ...jwt, STRATA_JWT_SECRET: SECRET, STRATA_DOCS_PUBLIC: 'yes' }, 'STRATA_DOCS_PUBLIC'],
  ])('refuses %s, naming %s', (_case, env, variable) => {
    const error = refusal(env);
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable}: `));
  });
});
