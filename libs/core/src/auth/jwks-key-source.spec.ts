import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import { IdentityProviderUnavailableError, UnauthenticatedError } from '../errors/access-errors';
import type { JwtSettings } from './auth-settings';
import { JwtVerifier } from './jwt-verifier';

interface SigningKey {
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly jwk: Record<string, unknown>;
}

async function signingKey(kid: string): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** A local identity provider: serves the current key set and counts how often it is asked. */
class JwksServer {
  fetches = 0;
  keys: SigningKey[] = [];
  mode: 'serve' | 'fail' | 'hang' = 'serve';
  private readonly server: Server = createServer((_request, response) => {
    this.fetches += 1;
    if (this.mode === 'hang') return; // never answers; closed with the server
    if (this.mode === 'fail') {
      response.writeHead(500).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys.map((key) => key.jwk) }));
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const token = (key: SigningKey, subject = 'ada', kid = key.kid): Promise<string> =>
  new SignJWT({ sub: subject })
    .setProtectedHeader({ alg: 'RS256', kid })
    .setIssuer('https://id.example')
    .setAudience('bank')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateKey);

describe('JwtVerifier with an identity provider that rotates its keys (JWKS)', () => {
  const provider = new JwksServer();
  let url: string;
  let first: SigningKey;
  let second: SigningKey;
  const verifierWith = (jwks: Partial<NonNullable<JwtSettings['jwks']>> = {}): JwtVerifier =>
    new JwtVerifier({
      mode: 'jwt',
      algorithm: 'RS256',
      issuer: 'https://id.example',
      audience: 'bank',
      clockToleranceSeconds: 30,
      docsPublic: false,
      jwks: { url, timeoutMs: 2_000, cacheMs: 600_000, cooldownMs: 0, ...jwks },
    });

  beforeAll(async () => {
    url = await provider.start();
    [first, second] = await Promise.all([signingKey('key-1'), signingKey('key-2')]);
  });

  afterAll(() => provider.stop());

  beforeEach(() => {
    provider.fetches = 0;
    provider.mode = 'serve';
    provider.keys = [first];
  });

  it('fetches the key set once, picks the key by kid, and serves later tokens from the cache', async () => {
    const verifier = verifierWith();
    expect((await verifier.verify(`Bearer ${await token(first, 'ada')}`)).subject).toBe('ada');
    expect((await verifier.verify(`Bearer ${await token(first, 'grace')}`)).subject).toBe('grace');
    expect(provider.fetches).toBe(1);
  });

  it('refetches when a token names a kid it does not know: a rotation is picked up at once', async () => {
    const verifier = verifierWith();
    await verifier.verify(`Bearer ${await token(first)}`);
    provider.keys = [second]; // the provider rotates: the old key is gone
    expect((await verifier.verify(`Bearer ${await token(second, 'grace')}`)).subject).toBe('grace');
    expect(provider.fetches).toBe(2);
    // A token signed with the retired key is now refused.
    await expect(verifier.verify(`Bearer ${await token(first)}`)).rejects.toThrow(/no key of the identity provider's key set matches/);
  });

  it('refetches for unknown kids at most once per cooldown, so forged kids cannot hammer the provider', async () => {
    const verifier = verifierWith({ cooldownMs: 60_000 });
    await verifier.verify(`Bearer ${await token(first)}`);
    const forged = await Promise.all(Array.from({ length: 20 }, (_, i) => token(first, 'eve', `forged-${i}`)));
    const outcomes = await Promise.all(forged.map((jwt) => verifier.verify(`Bearer ${jwt}`).catch((error: unknown) => error)));
    expect(outcomes.every((outcome) => outcome instanceof UnauthenticatedError)).toBe(true);
    expect(provider.fetches).toBe(1);
  });

  it('refuses a token signed by a key the provider never published', async () => {
    const stranger = await signingKey('key-1'); // same kid, another key
    await expect(verifierWith().verify(`Bearer ${await token(stranger)}`)).rejects.toThrow(/invalid signature/);
  });

  it('is unavailable (503), not unauthenticated, when the provider fails', async () => {
    provider.mode = 'fail';
    const error = await verifierWith().verify(`Bearer ${await token(first)}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    expect((error as IdentityProviderUnavailableError).code).toBe('IDENTITY_PROVIDER_UNAVAILABLE');
  });

  it('gives up on a provider that does not answer within the fetch timeout', async () => {
    provider.mode = 'hang';
    const started = Date.now();
    const error = await verifierWith({ timeoutMs: 300 }).verify(`Bearer ${await token(first)}`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
    // Bounded by the timeout, with slack for a busy machine; without one it would wait forever.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
