import type { DynamicModule, Type } from '@nestjs/common';
import type { OpenApiInfo } from '../http/openapi';
import type { StrataLoggerOptions } from '../http/strata-logger';
import type { Environment } from '../module/strata-adapter';

/** A Nest module, as a class or as what a `forRoot` returns. */
export type AppModuleRef = Type | DynamicModule;

/** How `createStrataApp` and `runStrataApp` build an app. Every field is optional. */
export interface StrataAppOptions {
  /** The service's name: the OpenAPI title by default, and the prefix of start and stop failures. */
  readonly name?: string;
  /** The OpenAPI document served at `/docs`: `false` serves none. */
  readonly openApi?: Partial<OpenApiInfo> | false;
  /** Log level, format and destination; otherwise `LOG_LEVEL` and `LOG_FORMAT` say. */
  readonly logger?: Omit<StrataLoggerOptions, 'env'>;
  /** Where `LOG_*`, `PORT`, `HOST`, `STRATA_HTTP_*` and `STRATA_SHUTDOWN_*` are read; defaults to `process.env`. */
  readonly env?: Environment;
  /** Modules mounted beside the app's, under the same pipe, filters, guards and logger (a benchmark's baseline endpoint, say). */
  readonly imports?: readonly AppModuleRef[];
}
