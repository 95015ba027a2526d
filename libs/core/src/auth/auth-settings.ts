import { ConfigurationError } from '../errors/strata-error';
import type { Environment } from '../module/strata-adapter';
import { booleanSetting, textSetting, wholeSetting } from '../observability/env-settings';

/** The variable that turns auth on (`jwt`) or off (`off`, the default). */
export const AUTH_VARIABLE = 'STRATA_AUTH';

const HMAC = ['HS256', 'HS384', 'HS512'] as const;
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512'] as const;
/** A JWS algorithm Strata accepts tokens signed with; `none` never is. */
export type JwtAlgorithm = (typeof HMAC)[number] | (typeof ASYMMETRIC)[number];

/** Where an identity provider publishes its signing keys, and how they are fetched and cached. */
export interface JwksSettings {
  readonly url: string;
  /** A fetch of the key set that takes longer is abandoned (the request is a 503). */
  readonly timeoutMs: number;
  /** How long a fetched key set is used before it is fetched again. */
  readonly cacheMs: number;
  /** A token with an unknown `kid` refetches the key set, at most once in this long. */
  readonly cooldownMs: number;
}

/** How bearer tokens are checked: the one algorithm, the key, and the issuer and audience they must name. */
export interface JwtSettings {
  readonly mode: 'jwt';
  readonly algorithm: JwtAlgorithm;
  /** The HMAC secret or the PEM public key; unset when the keys come from `jwks`. */
  readonly key?: string;
  /** The identity provider's key set, when tokens are checked against it. */
  readonly jwks?: JwksSettings;
  readonly issuer: string;
  readonly audience: string;
  /** Seconds of clock skew allowed when checking `exp`, `nbf` and `iat`. */
  readonly clockToleranceSeconds: number;
  /** Whether `/docs` stays open without a token. */
  readonly docsPublic: boolean;
}

/** Auth settings: off (every route open), or JWT bearer tokens. */
export type AuthSettings = { readonly mode: 'off' } | JwtSettings;

/** The variables naming where verification keys come from; exactly one is set with `jwt`. */
const KEY_VARIABLES = ['STRATA_JWT_SECRET', 'STRATA_JWT_PUBLIC_KEY', 'STRATA_JWT_JWKS_URL'] as const;

/** The shortest HMAC secret accepted: RFC 7518 asks for a key at least as long as the hash (256 bits). */
const MIN_SECRET_BYTES = 32;

/**
 * Reads `STRATA_AUTH` (`off`, the default, or `jwt`) and, for `jwt`, `STRATA_JWT_ISSUER`,
 * `STRATA_JWT_AUDIENCE`, one of `STRATA_JWT_SECRET` / `STRATA_JWT_PUBLIC_KEY` /
 * `STRATA_JWT_JWKS_URL` (with `STRATA_JWT_JWKS_*`), `STRATA_JWT_ALGORITHM`,
 * `STRATA_JWT_CLOCK_TOLERANCE_SECONDS` and `STRATA_DOCS_PUBLIC`; anything missing or invalid is
 * a `ConfigurationError` naming it.
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
  const jwksUrl = textSetting(env, 'STRATA_JWT_JWKS_URL');
  if ([secret, publicKey, jwksUrl].filter((value) => value !== undefined).length !== 1) {
    throw new ConfigurationError(
      'STRATA_JWT_SECRET',
      `set exactly one of ${KEY_VARIABLES.join(', ')} when STRATA_AUTH=jwt: an HMAC secret, a PEM public key (RSA or EC), or an identity provider's JWKS URL.`,
    );
  }
  const allowed: readonly string[] = secret !== undefined ? HMAC : ASYMMETRIC;
  const algorithm = textSetting(env, 'STRATA_JWT_ALGORITHM') ?? (secret !== undefined ? 'HS256' : 'RS256');
  if (!allowed.includes(algorithm)) {
    throw new ConfigurationError('STRATA_JWT_ALGORITHM', `'${algorithm}' does not go with ${secret !== undefined ? 'a secret' : 'public keys'}. Set it to one of: ${allowed.join(', ')}.`);
  }
  if (secret !== undefined && Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new ConfigurationError('STRATA_JWT_SECRET', `the secret is ${Buffer.byteLength(secret)} bytes; use at least ${MIN_SECRET_BYTES} random bytes.`);
  }
  if (publicKey !== undefined && !publicKey.includes('-----BEGIN')) {
    throw new ConfigurationError('STRATA_JWT_PUBLIC_KEY', 'expected a PEM public key (-----BEGIN PUBLIC KEY----- …).');
  }
  const common = {
    mode: 'jwt' as const,
    algorithm: algorithm as JwtAlgorithm,
    issuer,
    audience,
    clockToleranceSeconds: wholeSetting(env, 'STRATA_JWT_CLOCK_TOLERANCE_SECONDS', DEFAULT_CLOCK_TOLERANCE_SECONDS, 0, 600),
    docsPublic: booleanSetting(env, 'STRATA_DOCS_PUBLIC'),
  };
  if (jwksUrl !== undefined) return { ...common, jwks: jwksSettingsFrom(env, jwksUrl) };
  return { ...common, key: (secret ?? publicKey) as string };
}

/** Clock skew allowed by default: small enough that an expired token is refused within half a minute. */
const DEFAULT_CLOCK_TOLERANCE_SECONDS = 30;

function jwksSettingsFrom(env: Environment, text: string): JwksSettings {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigurationError('STRATA_JWT_JWKS_URL', `'${text}' is not a URL. Set it to the identity provider's jwks_uri, e.g. https://id.example/.well-known/jwks.json.`);
  }
  // Keys fetched in the clear could be swapped by anyone on the path; only a local provider may skip TLS.
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) {
    throw new ConfigurationError('STRATA_JWT_JWKS_URL', `'${text}' must be https (plain http only for localhost), so the signing keys cannot be swapped in transit.`);
  }
  return {
    url: url.href,
    timeoutMs: wholeSetting(env, 'STRATA_JWT_JWKS_TIMEOUT_MS', 5_000, 100, 60_000),
    cacheMs: wholeSetting(env, 'STRATA_JWT_JWKS_CACHE_MS', 600_000, 1_000, 86_400_000),
    cooldownMs: wholeSetting(env, 'STRATA_JWT_JWKS_COOLDOWN_MS', 30_000, 0, 3_600_000),
  };
}

function required(env: Environment, variable: string, meaning: string): string {
  const value = textSetting(env, variable);
  if (value === undefined) throw new ConfigurationError(variable, `required when ${AUTH_VARIABLE}=jwt: ${meaning}.`);
  return value;
}
