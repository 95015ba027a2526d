import type { Type } from '@nestjs/common';
import type { Environment } from '../module/strata-adapter';
import type { IntegrationMapper } from './integration-mapper';
import type { IntegrationTransport, IntegrationTransportFactory } from './integration-transport';

/** What a service publishes: its mapper, and the domain event types it maps. */
export interface PublishOptions {
  /** An injectable class that maps domain events to integration events. */
  readonly mapper: Type<IntegrationMapper<never>>;
  /** The domain event types it maps; the publisher reads only these from the log. All when omitted. */
  readonly events?: readonly string[];
}

/** `StrataIntegrationModule.forRoot` options. */
export interface StrataIntegrationOptions {
  /** The publishing service's name, stamped on every message it publishes. */
  readonly source: string;
  /**
   * The transports `STRATA_INTEGRATION_TRANSPORT` may select (e.g. `natsTransport`,
   * `rabbitmqTransport`); unset, integration is off and the service runs on its own.
   */
  readonly transports?: readonly IntegrationTransportFactory[];
  /** A ready transport, used instead of choosing one from the environment (tests). */
  readonly transport?: IntegrationTransport;
  readonly publish?: PublishOptions;
  /**
   * How old (ms) the inbox backlog that `/health/ready` and `/metrics` report may be: the broker
   * is asked at most once in this time per inbox, however often they are probed. 2,000 by default.
   */
  readonly pendingMaxAgeMs?: number;
  /** Where settings come from; defaults to `process.env`. */
  readonly env?: Environment;
}

export const STRATA_INTEGRATION_OPTIONS = Symbol('STRATA_INTEGRATION_OPTIONS');

/** The variable that selects a transport. */
export const INTEGRATION_TRANSPORT_VARIABLE = 'STRATA_INTEGRATION_TRANSPORT';
