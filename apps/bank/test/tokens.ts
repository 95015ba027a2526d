import { JwtService } from '@nestjs/jwt';

export const TOKEN_SECRET = 'bank-e2e-secret-with-at-least-32-bytes';
export const TOKEN_ISSUER = 'https://id.example';
export const TOKEN_AUDIENCE = 'bank-api';

/** The environment that turns JWT auth on with the test issuer, audience and secret. */
export const JWT_ENV = {
  STRATA_AUTH: 'jwt',
  STRATA_JWT_ISSUER: TOKEN_ISSUER,
  STRATA_JWT_AUDIENCE: TOKEN_AUDIENCE,
  STRATA_JWT_SECRET: TOKEN_SECRET,
};

const signer = new JwtService({});

/** A signed HS256 token for `subject`; `overrides` change claims or signing to make bad ones. */
export function tokenFor(subject: string, overrides: { claims?: object; secret?: string; expiresIn?: number } = {}): string {
  return signer.sign(
    { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: subject, ...overrides.claims },
    { secret: overrides.secret ?? TOKEN_SECRET, algorithm: 'HS256', expiresIn: overrides.expiresIn ?? 300 },
  );
}

/** `Authorization` header for a token. */
export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}
