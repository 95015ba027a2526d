import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createStrataApp, EventStore, type AppModuleRef, type Environment, type RecordedEvent, type StrataAppOptions, type StrataModuleOptions } from '@strata/core';
import { StreamNotFoundError } from '@strata/core/adapter';
import type { InjectOptions } from 'fastify';
import type { Reply, RequestSpec } from './test-reply';

/** Which store a test app runs on: in memory, or the embedded SQLite store in a fresh temporary folder (the module registers `sqliteAdapter()`). */
export type TestStore = 'memory' | 'sqlite';

/** How `StrataTestApp.boot` builds the app. */
export interface StrataTestAppOptions extends Omit<StrataAppOptions, 'env'> {
  /** Defaults to 'memory'. */
  readonly store?: TestStore;
  /** Settings on top of the store's (the app sees only these, not the test process's environment). */
  readonly env?: Environment;
}

/** The module to test: a module, or a function of the `StrataModule.forRoot` options the kit chooses (store, env). */
export type TestModule = AppModuleRef | ((strata: StrataModuleOptions) => AppModuleRef);

/** Any Strata app as production builds it (`createStrataApp`), on a chosen store, driven over HTTP without a socket. */
export class StrataTestApp {
  protected constructor(
    readonly app: NestFastifyApplication,
    private readonly dataDir: string | undefined,
  ) {}

  /** Builds and initialises the app; logs are silent unless `logger` says otherwise. */
  static async boot(module: TestModule, options: StrataTestAppOptions = {}): Promise<StrataTestApp> {
    const { app, dataDir } = await StrataTestApp.build(module, options);
    return new StrataTestApp(app, dataDir);
  }

  /** What `boot` does, for a subclass that adds its own helpers. */
  protected static async build(module: TestModule, options: StrataTestAppOptions): Promise<{ app: NestFastifyApplication; dataDir: string | undefined }> {
    const { store = 'memory', env: extra = {}, ...appOptions } = options;
    const dataDir = store === 'sqlite' ? mkdtempSync(join(tmpdir(), 'strata-test-app-')) : undefined;
    const env: Environment = dataDir ? { STRATA_EVENT_STORE: 'sqlite', STRATA_READ_STORE: 'sqlite', STRATA_DATA_DIR: dataDir, ...extra } : extra;
    const strata: StrataModuleOptions = { ...(store === 'memory' && { eventStore: 'memory' as const }), env };
    try {
      const app = await createStrataApp(isModuleFactory(module) ? module(strata) : module, {
        ...appOptions,
        env,
        logger: appOptions.logger ?? { level: 'silent' },
      });
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      return { app, dataDir };
    } catch (error) {
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      throw error;
    }
  }

  /** Serves real HTTP on a free loopback port, for tests that need sockets; returns the base URL. */
  async listen(): Promise<string> {
    await this.app.listen({ port: 0, host: '127.0.0.1' });
    return this.app.getUrl();
  }

  /** The event store the app writes to, taken from the app itself. */
  get store(): EventStore {
    return this.app.get(EventStore);
  }

  /** Sends one request through the app (no socket); a POST unless `method` says otherwise. */
  async request(spec: RequestSpec): Promise<Reply> {
    const headers: Record<string, string> = { ...spec.headers };
    const options: InjectOptions = { method: spec.method ?? 'POST', url: spec.url, headers };
    if (typeof spec.body === 'string') {
      options.payload = spec.body;
    } else if (spec.body !== undefined) {
      options.payload = JSON.stringify(spec.body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await this.app.inject(options);
    return { status: response.statusCode, headers: response.headers, body: response.body, json: <T>() => JSON.parse(response.body) as T };
  }

  /** A GET; with `position` (a command's), sent as `X-Strata-Position`, it reads its own writes. */
  async get(url: string, position?: string): Promise<Reply> {
    return this.request({ method: 'GET', url, ...(position === undefined ? {} : { headers: { 'X-Strata-Position': position } }) });
  }

  /** Every event of a stream, read through the app's event store; [] when none. */
  async streamEvents(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const event of this.store.readStream(streamId)) events.push(event);
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    return events;
  }

  /** Closes the app (projections and sagas stop at a checkpoint) and removes a temporary store. */
  async stop(): Promise<void> {
    try {
      await this.app.close();
    } finally {
      if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}

// A module class is a function too; only a factory is not written as a class.
function isModuleFactory(module: TestModule): module is (strata: StrataModuleOptions) => AppModuleRef {
  return typeof module === 'function' && !/^class\b/.test(Function.prototype.toString.call(module));
}
