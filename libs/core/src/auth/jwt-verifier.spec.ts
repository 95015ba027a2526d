import { generateKeyPairSync } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { UnauthenticatedError } from '../errors/access-errors';
import type { JwtSettings } from './auth-settings';
import { JwtVerifier } from './jwt-verifier';

const SECRET = 'a-test-secret-of-at-least-32-bytes!!';
const settings: JwtSettings = { mode: 'jwt', algorithm: 'HS256', key: SECRET, issuer: 'issuer', audience: 'bank', clockToleranceSeconds: 30, docsPublic: false };
const signer = new JwtService({});
const now = (): number => Math.floor(Date.now() / 1000);
const sign = (claims: object, options: { secret?: string; algorithm?: 'HS256' | 'HS512'; expiresIn?: number } = {}) =>
  signer.sign({ iss: 'issuer', aud: 'bank', sub: 'ada', ...claims }, { secret: options.secret ?? SECRET, algorithm: options.algorithm ?? 'HS256', expiresIn: options.expiresIn ?? 60 });
const verifier = new JwtVerifier(settings);

async function refusal(header: string | undefined, by: JwtVerifier = verifier): Promise<string> {
  const error = await by.verify(header).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UnauthenticatedError);
  return (error as Error).message;
}

describe('JwtVerifier', () => {
  it('accepts a valid token and returns its subject and claims', async () => {
    const principal = await verifier.verify(`Bearer ${sign({ scope: 'bank' })}`);
    expect(principal).toMatchObject({ subject: 'ada', claims: { scope: 'bank', iss: 'issuer' } });
  });

  it.each<[string, () => string | undefined, RegExp]>([
    ['no header', () => undefined, /needs a bearer token/],
    ['another scheme', () => 'Basic YWRhOnB3', /must be "Bearer "/],
    ['a malformed token', () => 'Bearer not-a-jwt', /must be "Bearer "/],
    ['a token that is not JSON inside', () => 'Bearer aaaa.bbbb.cccc', /not a well-formed signed JWT/],
    ['a bad signature', () => `Bearer ${sign({}, { secret: 'another-secret-of-at-least-32-bytes' })}`, /invalid signature/],
    ['a token expired past the tolerance', () => `Bearer ${sign({}, { expiresIn: -60 })}`, /expired at /],
    ['the wrong audience', () => `Bearer ${sign({ aud: 'other' })}`, /audience/],
    ['the wrong issuer', () => `Bearer ${sign({ iss: 'other' })}`, /issuer/],
    ['another algorithm', () => `Bearer ${sign({}, { algorithm: 'HS512' })}`, /algorithm/],
    ['alg none', () => `Bearer ${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${Buffer.from('{"sub":"ada"}').toString('base64url')}.`, /must be "Bearer "/],
    ['no subject', () => `Bearer ${sign({ sub: undefined })}`, /subject/],
    ['a token issued in the future past the tolerance', () => `Bearer ${sign({ iat: now() + 120 })}`, /issued in the future/],
    ['a token not valid yet past the tolerance', () => `Bearer ${sign({ nbf: now() + 120 })}`, /not valid yet/],
  ])('refuses %s', async (_case, header, reason) => {
    expect(await refusal(header())).toMatch(reason);
  });

  it('allows clock skew within the tolerance, and none beyond a tolerance of 0', async () => {
    const skewed = `Bearer ${sign({ iat: now() + 10, nbf: now() + 10 }, { expiresIn: 60 })}`;
    const expiredJustNow = `Bearer ${sign({}, { expiresIn: -10 })}`;
    expect((await verifier.verify(skewed)).subject).toBe('ada');
    expect((await verifier.verify(expiredJustNow)).subject).toBe('ada');
    const strict = new JwtVerifier({ ...settings, clockToleranceSeconds: 0 });
    expect(await refusal(skewed, strict)).toMatch(/issued in the future|not valid yet/);
    expect(await refusal(expiredJustNow, strict)).toMatch(/expired at /);
  });

  it('refuses a token without an expiry', async () => {
    const token = signer.sign({ iss: 'issuer', aud: 'bank', sub: 'ada' }, { secret: SECRET, algorithm: 'HS256' });
    expect(await refusal(`Bearer ${token}`)).toMatch(/no expiry/);
  });

  it('checks RS256 tokens against a public key', async () => {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsa = new JwtVerifier({ ...settings, algorithm: 'RS256', key: publicKey.export({ type: 'spki', format: 'pem' }).toString() });
    const token = signer.sign({ iss: 'issuer', aud: 'bank', sub: 'grace' }, { privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), algorithm: 'RS256', expiresIn: 60 });
    expect((await rsa.verify(`Bearer ${token}`)).subject).toBe('grace');
    // An HS256 token signed with the public key as the secret (the classic confusion attack) is refused.
    const forged = signer.sign({ iss: 'issuer', aud: 'bank', sub: 'eve' }, { secret: publicKey.export({ type: 'spki', format: 'pem' }).toString(), algorithm: 'HS256', expiresIn: 60 });
    await expect(rsa.verify(`Bearer ${forged}`)).rejects.toBeInstanceOf(UnauthenticatedError);
  });
});
