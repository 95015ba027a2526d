import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { configureStrataHttp, createStrataFastifyAdapter, STRATA_APP_OPTIONS } from '@strata/core';
import { AppModule } from './app.module';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, createStrataFastifyAdapter(), STRATA_APP_OPTIONS);
  configureStrataHttp(app);
  app.enableShutdownHooks();
  await app.listen({ port: Number(process.env['PORT'] ?? 3000), host: process.env['HOST'] ?? '127.0.0.1' });
}

void bootstrap();
