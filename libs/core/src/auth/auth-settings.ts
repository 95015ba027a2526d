import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';
import { textSetting } from '../observability/env-settings';

/** The variable that turns auth on (`jwt`) or off (`off`, the default). */
export const AUTH_VARIABLE = 'STRATA_AUTH';

const HMAC = ['HS256', 'HS384', 'HS512'] as const;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
/** A JWS algorithm Strata accepts tokens signed with; `none` never is. */
export type JwtAlgorithm = (typeof HMAC)[number] | (typeof ASYMMETRIC)[number];

/** How bearer tokens are checked: the one algorithm, the key, and the issuer and audience they must name. */
export interface JwtSettings {
  readonly mode: 'jwt';
  readonly algorithm: JwtAlgorithm;
  /** The HMAC secret, or the PEM public key for the asymmetric algorithms. */
  readonly key: string;
  readonly issuer: string;
  readonly audience: string;
}

/** Auth settings: off (every route open), or JWT bearer tokens. */
export type AuthSettings = { readonly mode: 'off' } | JwtSettings;

/** The shortest HMAC secret accepted: RFC 7518 asks for a key at least as long as the hash (256 bits). */
const MIN_SECRET_BYTES = 32;

/**
 * Reads `STRATA_AUTH` (`off`, the default, or `jwt`) and, for `jwt`, `STRATA_JWT_ISSUER`,
 * `STRATA_JWT_AUDIENCE`, one of `STRATA_JWT_SECRET` / `STRATA_JWT_PUBLIC_KEY`, and
 * `STRATA_JWT_ALGORITHM`; anything missing or invalid is a `ConfigurationError` naming it.
 */
export function authSettingsFrom(env: Environment): AuthSettings {
  const mode = textSetting(env, AUTH_VARIABLE) ?? 'off';
  if (mode === 'off') return { mode: 'off' };
  if (mode !== 'jwt') throw new ConfigurationError(AUTH_VARIABLE, `'${mode}' is not an auth mode. Set it to off or jwt.`);
  const issuer = required(env, 'STRATA_JWT_ISSUER', 'the issuer (iss) tokens must name');
  const audience = required(env, 'STRATA_JWT_AUDIENCE', 'the audience (aud) tokens must name, e.g. this API');
  const secret = textSetting(env, 'STRATA_JWT_SECRET');
  // PEM keys are often passed on one line with literal \n.
  const publicKey = textSetting(env, 'STRATA_JWT_PUBLIC_KEY')?.replace(/\\n/g, '\n');
  if ((secret === undefined) === (publicKey === undefined)) {
    throw new ConfigurationError('STRATA_JWT_SECRET', 'set exactly one of STRATA_JWT_SECRET (HMAC) and STRATA_JWT_PUBLIC_KEY (PEM, RSA or EC) when STRATA_AUTH=jwt.');
  }
  const allowed: readonly string[] = secret !== undefined ? HMAC : ASYMMETRIC;
  const algorithm = textSetting(env, 'STRATA_JWT_ALGORITHM') ?? (secret !== undefined ? 'HS256' : 'RS256');
  if (!allowed.includes(algorithm)) {
    throw new ConfigurationError('STRATA_JWT_ALGORITHM', `'${algorithm}' does not go with ${secret !== undefined ? 'a secret' : 'a public key'}. Set it to one of: ${allowed.join(', ')}.`);
  }
  if (secret !== undefined && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new ConfigurationError('STRATA_JWT_SECRET', `the secret is ${Buffer.byteLength(secret)} bytes; use at least ${MIN_SECRET_BYTES} random bytes.`);
  }
  if (publicKey !== undefined && !publicKey.includes('-----BEGIN')) {
    throw new ConfigurationError('STRATA_JWT_PUBLIC_KEY', 'expected a PEM public key (-----BEGIN PUBLIC KEY----- …).');
  }
  return { mode: 'jwt', algorithm: algorithm as JwtAlgorithm, key: (secret ?? publicKey) as string, issuer, audience };
}

function required(env: Environment, variable: string, meaning: string): string {
  const value = textSetting(env, variable);
  if (value === undefined) throw new ConfigurationError(variable, `required when ${AUTH_VARIABLE}=jwt: ${meaning}.`);
  return value;
}
