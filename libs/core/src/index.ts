// @strata/core: what an app uses, grouped by concept. What only an adapter, a test kit or a tool needs
// is at '@strata/core/adapter' (apps' sources may not import it: eslint); the contract suites every
// adapter must pass are at '@strata/core/testing'. test/packages/public-api.spec.ts pins this list.

// Errors: one root with a code (`StrataError.isStrataError`), and the ones an app throws or maps.
export { StrataError, DomainError, NotFoundError, ConfigurationError } from './errors/strata-error';
export { IdempotencyKeyReusedError } from './errors/concurrency-errors';
export { ForbiddenError } from './errors/access-errors';

// Events: plain objects with a stable type; upcasters lift old shapes on read.
export type { Event, EventToAppend, RecordedEvent } from './events/event';
export { Upcasters } from './events/upcasters';
export type { Recorded } from './events/recorded';

// The event store port, and an in-memory store for unit tests.
export { type Position, comparePositions } from './event-store/position';
export {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type ReadStreamOptions,
  type ReadAllOptions,
  type ReadAllPage,
} from './event-store/event-store';
export { InMemoryEventStore } from './event-store/in-memory-event-store';
export { verifyLog } from './event-store/log-verification';

// Deciders and commands: decide, append with the expected revision, retry on conflict; types inferred from deciders.
export type { Decider } from './decider/decider';
export type { CommandContext } from './commands/command-context';
export type { CommandResult } from './commands/command-result';
export { deriveId } from './commands/event-ids';
export { loadStream } from './commands/handle-command';
export { AggregateHandle } from './commands/aggregate-handle';
export { newEntityId } from './commands/new-entity-id';
export { CommandSender } from './commands/command-sender';
export { DecideCommand } from './commands/decide-command';
export type { CommandOf, EventOf, StateOf, AggregateHandleOf } from './decider/decider-types';

// The Nest module: forRoot/forRootAsync, forFeature, and the stores it is given.
export { StrataModule, InjectDecider, getDeciderToken, STRATA_SNAPSHOTS } from './module/strata.module';
export { STRATA_OPTIONS, type StrataModuleOptions, type StrataOptionsFactory } from './module/strata-options';
export type { Environment } from './module/strata-adapter';

// Starting a service: one call builds the Fastify app with every default, listens, and shuts down gracefully.
export { Draining } from './lifecycle/draining';
export { shutDownGracefully } from './lifecycle/graceful-shutdown';
export { createStrataApp } from './bootstrap/create-strata-app';
export { startStrataApp } from './bootstrap/start-strata-app';
export { runStrataApp } from './bootstrap/run-strata-app';
export type { StrataAppOptions, AppModuleRef } from './bootstrap/strata-app-options';

// HTTP endpoints: problem+json, command headers and responses, OpenAPI, logging, security headers, limits.
export { configureStrataHttp, createStrataFastifyAdapter, STRATA_APP_OPTIONS } from './http/configure-strata-http';
export type { ProblemDetails } from './http/problem-details';
export { ProblemDetailsDto } from './http/problem-details.dto';
export { ApiProblems } from './http/api-problems.decorator';
export { RequestValidationError } from './http/request-validation-error';
export { CommandCtx } from './http/command-ctx.decorator';
export { UuidParamPipe } from './http/uuid-param.pipe';
export { strataLoggerParams, type StrataLoggerOptions } from './http/strata-logger';
export { registerSecurityHeaders } from './http/security-headers';
export { setupOpenApi } from './http/openapi';
export { commandResponse, type CommandResponse, type HeaderSink } from './http/command-response';
export { ApiCommandEndpoint, ApiQueryEndpoint } from './http/api-endpoint.decorators';
export { AllowUnknownQueryParameters } from './http/query-parameters';
export { httpLimitsFrom } from './http/limits/http-limits';

// Paging: cursor pages with a bounded limit.
export { UUID_KEY, POSITION_KEY } from './pagination/page-cursor';
export { pageOf, type Page, type PageRequest } from './pagination/page';
export { pageRequest } from './pagination/page-request';
export { PageLimitDto } from './pagination/page-limit.dto';
export { IsPageCursor } from './pagination/is-page-cursor.decorator';

// Read models: MongoDB-flavoured document collections, written by projections, read by queries.
export { DocumentStore } from './documents/document-store';
export type { Filter } from './documents/document-types';
export { InMemoryDocumentStore } from './documents/in-memory-document-store';
export { ReadModels } from './read-models/read-models';
export { ReadsCollections } from './read-models/reads-collections.decorator';

// Projections: fold events into read models; operate them (status, parked events).
export { Projection, type ProjectionClass } from './projections/projection.decorator';
export type { ProjectionHandler, ProjectionContext } from './projections/projection-handler';
export { Projections } from './projections/projections.service';
export type { ProjectionOverview } from './projections/projection-overview';
export { ParkedEvents, type ParkedEvent, type ParkedSequence } from './projections/parked-events';

// Sagas: react to events with commands and deadlines; time comes from an injectable clock.
export { Saga } from './sagas/saga.decorator';
export type { SagaHandler, SagaContext } from './sagas/saga-handler';
export type { SagaCommandFailed, SagaReaction, SagaMessage } from './sagas/saga-messages';
export { Clock } from './sagas/clock';
export { commandFor, type DeciderSagaCommand } from './sagas/decider-saga-command';
export type { SagaCommandsOf } from './sagas/saga-types';

// Snapshots: a decider's state saved every N events, so long streams load fast.
export { Snapshots } from './snapshots/snapshots';

// Integration events between services: public contracts, the mapper, the outbox publisher and inboxes.
export { integrationEvent, type IntegrationMessage } from './integration/integration-event';
export { publish, type IntegrationMapper, type PublishedEvent } from './integration/integration-mapper';
export { Inbox } from './integration/inbox.decorator';
export type { InboxHandler, InboxMessage, InboxContext } from './integration/inbox-handler';
export { StrataIntegrationModule } from './integration/strata-integration.module';
export { IntegrationEvents } from './integration/integration-events.service';

// Operating the app: health, metrics, tracing.
export { StrataObservabilityModule } from './observability/strata-observability.module';

// Access: JWT authentication, public routes, the caller, throttling.
export { StrataAuthModule } from './auth/strata-auth.module';
export { Public } from './auth/public.decorator';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export type { Principal } from './auth/principal';
export { StrataThrottleModule } from './throttling/strata-throttle.module';
