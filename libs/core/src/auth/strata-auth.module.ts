import { Inject, Injectable, Logger, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { Environment } from '../module/strata-adapter';
import { authSettingsFrom, type AuthSettings } from './auth-settings';
import { AUTH_SETTINGS, JWT_VERIFIER, JwtAuthGuard } from './jwt-auth.guard';
import { JwtVerifier } from './jwt-verifier';

/** Says once, at start-up, how requests are authenticated, so an open API is never a surprise. */
@Injectable()
class AuthAnnouncer implements OnApplicationBootstrap {
  constructor(@Inject(AUTH_SETTINGS) private readonly settings: AuthSettings) {}

  onApplicationBootstrap(): void {
    const logger = new Logger('Auth');
    if (this.settings.mode === 'off') {
      logger.warn('Auth is off (STRATA_AUTH is not jwt): every endpoint is open and commands record no user.');
    } else {
      const keys = this.settings.jwks !== undefined ? `keys from ${this.settings.jwks.url}` : this.settings.algorithm.startsWith('HS') ? 'a shared secret' : 'a public key';
      const docs = this.settings.docsPublic ? 'open (STRATA_DOCS_PUBLIC=true)' : 'behind a token too';
      logger.log(`Auth is on: bearer JWTs (${this.settings.algorithm}, ${keys}) from issuer '${this.settings.issuer}' for audience '${this.settings.audience}'; /docs is ${docs}.`);
    }
  }
}

/** JWT bearer auth as a global guard, configured by `STRATA_AUTH` and `STRATA_JWT_*` (see `authSettingsFrom`). */
@Module({})
export class StrataAuthModule {
  static forRoot(options: { readonly env?: Environment } = {}): DynamicModule {
    return {
      module: StrataAuthModule,
      providers: [
        { provide: AUTH_SETTINGS, useFactory: () => authSettingsFrom(options.env ?? process.env) },
        {
          provide: JWT_VERIFIER,
          useFactory: (settings: AuthSettings) => (settings.mode === 'jwt' ? new JwtVerifier(settings) : null),
          inject: [AUTH_SETTINGS],
        },
        { provide: APP_GUARD, useClass: JwtAuthGuard },
        AuthAnnouncer,
      ],
      exports: [AUTH_SETTINGS, JWT_VERIFIER],
    };
  }
}
