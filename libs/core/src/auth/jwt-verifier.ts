import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '../errors/access-errors';
import type { JwtSettings } from './auth-settings';
import type { Principal } from './principal';

// Three base64url segments; the signature may not be empty, which also shuts out alg "none".
const BEARER = /^Bearer ([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$/i;
// A subject becomes an owner and event metadata: printable, bounded.
const SUBJECT = /^[^\p{Cc}]{1,255}$/u;

/** Checks bearer tokens: the one configured algorithm, the signature, expiry, issuer and audience. */
export class JwtVerifier {
  private readonly jwt = new JwtService({});

  constructor(private readonly settings: JwtSettings) {}

  /** The principal of an `Authorization` header; any problem with it is an `UnauthenticatedError` saying which. */
  async verify(authorization: string | undefined): Promise<Principal> {
    if (authorization === undefined || authorization === '') {
      throw new UnauthenticatedError('This endpoint needs a bearer token: send Authorization: Bearer <JWT>.');
    }
    const token = BEARER.exec(authorization)?.[1];
    if (token === undefined) throw new UnauthenticatedError('The Authorization header must be "Bearer " followed by a signed JWT.');
    const { algorithm, key, issuer, audience } = this.settings;
    let claims: Record<string, unknown>;
    try {
      claims = await this.jwt.verifyAsync<Record<string, unknown>>(token, {
        algorithms: [algorithm],
        issuer,
        audience,
        ...(algorithm.startsWith('HS') ? { secret: key } : { publicKey: key }),
      });
    } catch (error) {
      throw new UnauthenticatedError(refusal(error));
    }
    // A token without an expiry would stay valid forever once leaked.
    if (typeof claims.exp !== 'number') throw new UnauthenticatedError('The bearer token has no expiry (exp); tokens must expire.');
    const subject = claims.sub;
    if (typeof subject !== 'string' || !SUBJECT.test(subject)) {
      throw new UnauthenticatedError('The bearer token has no usable subject (sub): 1 to 255 printable characters are required.');
    }
    return { subject, claims };
  }
}

function refusal(error: unknown): string {
  const name = error instanceof Error ? error.name : '';
  if (name === 'TokenExpiredError') {
    const expiredAt = (error as { expiredAt?: Date }).expiredAt;
    return `The bearer token expired${expiredAt ? ` at ${expiredAt.toISOString()}` : ''}. Get a new one.`;
  }
  if (name === 'NotBeforeError') return 'The bearer token is not valid yet (nbf).';
  // jsonwebtoken's messages name the check that failed (signature, audience, issuer, algorithm).
  const reason = error instanceof Error ? error.message : String(error);
  return `The bearer token was refused: ${reason}.`;
}
