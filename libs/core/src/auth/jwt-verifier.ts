import { createPublicKey, type KeyObject } from 'node:crypto';
import { errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { IdentityProviderUnavailableError, UnauthenticatedError } from '../errors/access-errors';
import type { JwtSettings } from './auth-settings';
import { jwksKeySource } from './jwks-key-source';
import type { Principal } from './principal';

// Three base64url segments; the signature may not be empty, which also shuts out alg "none".
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
// A subject becomes an owner and event metadata: printable, bounded.
const SUBJECT = /^[^\p{Cc}]{1,255}$/u;

type KeySource = Uint8Array | KeyObject | JWTVerifyGetKey;

/**
 * Checks bearer tokens (with `jose`): the one configured algorithm, the signature against a
 * secret, a public key or an identity provider's rotating keys (JWKS), expiry, issuer,
 * audience, and an issue time that is not in the future, each within the clock tolerance.
 */
export class JwtVerifier {
  private readonly key: KeySource;

  constructor(private readonly settings: JwtSettings) {
    if (settings.jwks !== undefined) this.key = jwksKeySource(settings.jwks);
    else if (settings.algorithm.startsWith('HS')) this.key = new TextEncoder().encode(settings.key ?? '');
    else this.key = createPublicKey(settings.key ?? '');
  }

  /**
   * The principal of an `Authorization` header; any problem with the token is an
   * `UnauthenticatedError` saying which, and keys that cannot be fetched an
   * `IdentityProviderUnavailableError`.
   */
  async verify(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new UnauthenticatedError('This endpoint needs a bearer token: send Authorization: Bearer <JWT>.');
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) throw new UnauthenticatedError('The Authorization header must be "Bearer " followed by a signed JWT.');
    const claims = await this.verifiedClaims(token);
    // A token without an expiry would stay valid forever once leaked.
    if (typeof claims.exp !== 'number') throw new UnauthenticatedError('The bearer token has no expiry (exp); tokens must expire.');
    // jose checks iat only against a maximum age; a token issued in the future is a clock or issuer fault.
    const now = Math.floor(Date.now() / 1000);
    if (claims.iat !== undefined && claims.iat > now + this.settings.clockToleranceSeconds) {
      throw new UnauthenticatedError(
        `The bearer token was issued in the future (iat ${new Date(claims.iat * 1000).toISOString()}, more than ${this.settings.clockToleranceSeconds} s ahead). Check the issuer's clock.`,
      );
    }
    const subject = claims.sub;
    if (typeof subject !== 'string' || !SUBJECT.test(subject)) {
      throw new UnauthenticatedError('The bearer token has no usable subject (sub): 1 to 255 printable characters are required.');
    }
    return { subject, claims };
  }

  private async verifiedClaims(token: string): Promise<JWTPayload> {
    const { algorithm, issuer, audience, clockToleranceSeconds } = this.settings;
    const options = { algorithms: [algorithm], issuer, audience, clockTolerance: clockToleranceSeconds };
    try {
      const { payload } =
        typeof this.key === 'function' ? await jwtVerify(token, this.key, options) : await jwtVerify(token, this.key, options);
      return payload;
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError) throw error;
      throw new UnauthenticatedError(refusal(error));
    }
  }
}

function refusal(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    const exp = error.payload.exp;
    return `The bearer token expired${typeof exp === 'number' ? ` at ${new Date(exp * 1000).toISOString()}` : ''}. Get a new one.`;
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    switch (error.claim) {
      case 'iss':
        return 'The bearer token was refused: it is from another issuer (iss).';
      case 'aud':
        return 'The bearer token was refused: it is for another audience (aud).';
      case 'nbf':
        return 'The bearer token is not valid yet (nbf).';
      default:
        return `The bearer token was refused: its ${error.claim} claim is invalid (${error.message}).`;
    }
  }
  if (error instanceof errors.JOSEAlgNotAllowed) return 'The bearer token was refused: it is signed with another algorithm than this API accepts.';
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'The bearer token was refused: invalid signature.';
  if (error instanceof errors.JWKSNoMatchingKey) return "The bearer token was refused: no key of the identity provider's key set matches its kid.";
  if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) return 'The bearer token was refused: it is not a well-formed signed JWT.';
  return `The bearer token was refused: ${error instanceof Error ? error.message : String(error)}.`;
}
