import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureStrataHttp, createStrataFastifyAdapter, registerSecurityHeaders, STRATA_APP_OPTIONS, StrataError } from '@strata/core';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';

/** The statements service: `PORT` (default 3001), data in `STRATA_DATA_DIR`, bank events from `STRATA_INTEGRATION_TRANSPORT`. */
async function bootstrap(): Promise<void> {
  const port = Number(process.env['PORT']?.trim() || '3001');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new StrataError('INVALID_CONFIGURATION', `PORT: '${process.env['PORT']}' is not a TCP port.`);
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(), createStrataFastifyAdapter(), { ...STRATA_APP_OPTIONS, abortOnError: false });
  app.useLogger(app.get(Logger));
  configureStrataHttp(app);
  await registerSecurityHeaders(app);
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      app.close().then(
        () => (process.exitCode = 0),
        () => process.exit(1),
      );
    });
  }
  await app.listen({ port, host: process.env['HOST']?.trim() || '0.0.0.0' });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`statements failed to start: ${StrataError.isStrataError(error) ? error.message : error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
