import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { IdentityProviderUnavailableError } from '../errors/access-errors';
import type { JwksSettings } from './auth-settings';

// Lookups that failed because the token names no usable key: the token's fault, not the provider's.
const TOKEN_FAULTS = [errors.JWKSNoMatchingKey, errors.JWKSMultipleMatchingKeys, errors.JOSENotSupported, errors.JOSEAlgNotAllowed];

/**
 * The keys of an identity provider, from its JWKS URL, by `jose`: fetched once and cached for
 * `cacheMs`, the key picked by the token's `kid` (and algorithm), refetched when a token names
 * an unknown `kid` (a rotation) at most once per `cooldownMs`. A fetch that fails or takes
 * longer than `timeoutMs` in all (connecting and reading) is an
 * `IdentityProviderUnavailableError`, which answers 503 rather than blaming the token.
 */
export function jwksKeySource(settings: JwksSettings): JWTVerifyGetKey {
  const remote = createRemoteJWKSet(new URL(settings.url), {
    timeoutDuration: settings.timeoutMs,
    cacheMaxAge: settings.cacheMs,
    cooldownDuration: settings.cooldownMs,
  });
  return async (header, token) => {
    let timer: NodeJS.Timeout | undefined;
    // jose bounds the wait for the response headers; this bounds a body trickled slowly too.
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new errors.JWKSTimeout()), settings.timeoutMs);
    });
    try {
      return await Promise.race([remote(header, token), deadline]);
    } catch (error) {
      if (TOKEN_FAULTS.some((fault) => error instanceof fault)) throw error;
      throw new IdentityProviderUnavailableError(settings.url, error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(timer);
    }
  };
}
