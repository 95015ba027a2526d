// @strata/core: what an app uses. What only an adapter or a tool needs is at '@strata/core/adapter';
// the contract suites every adapter must pass are at '@strata/core/testing'.

// Errors: one root with a code; domain rules, missing things, configuration, concurrency, access.
export { StrataError, DomainError, NotFoundError, ConfigurationError } from './errors/strata-error';
export {
  WrongExpectedRevisionError,
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  StreamNotFoundError,
} from './errors/concurrency-errors';
export { UnauthenticatedError, ForbiddenError, RateLimitedError } from './errors/access-errors';

// Events and the event store port.
export type { Event, EventMetadata, EventToAppend, RecordedEvent } from './events/event';
export { Upcasters, type Upcaster } from './events/upcasters';
export type { ExpectedRevision } from './event-store/expected-revision';
export { type Position, comparePositions } from './event-store/position';
export {
  EventStore,
  type AppendOptions,
  type AppendResult,
  type Direction,
  type ReadStreamOptions,
  type ReadAllFilter,
  type ReadAllOptions,
  type ReadAllPage,
} from './event-store/event-store';
export { InMemoryEventStore } from './event-store/in-memory-event-store';

// Deciders and commands: decide, append with the expected revision, retry on conflict.
export { type Decider, streamIdOf } from './decider/decider';
export type { CommandContext } from './commands/command-context';
export type { CommandResult } from './commands/command-result';
export { deriveId, deriveEventId } from './commands/event-ids';
export type { RetryPolicy } from './commands/retry-policy';
export { handleCommand, loadStream, type LoadedStream, type HandleCommandOptions } from './commands/handle-command';
export type { LoadStreamOptions } from './commands/load-stream';
export { AggregateHandle } from './commands/aggregate-handle';

// The Nest module: forRoot/forRootAsync, forFeature, and the stores it is given.
export { StrataModule, InjectDecider, getDeciderToken, STRATA_SNAPSHOTS, type StrataFeature } from './module/strata.module';
export { STRATA_OPTIONS, type StrataModuleOptions, type StrataModuleAsyncOptions, type StrataOptionsFactory } from './module/strata-options';
export type { Environment, StrataAdapter, EventLogAdapter } from './module/strata-adapter';
export { inMemoryAdapter } from './module/in-memory-adapter';
export { EVENT_STORE_VARIABLE, READ_STORE_VARIABLE } from './module/resolve-event-store';

// HTTP: Fastify, problem+json, validation, command headers, logging, security headers, OpenAPI.
export { configureStrataHttp, createStrataFastifyAdapter, STRATA_APP_OPTIONS } from './http/configure-strata-http';
export { PROBLEM_CONTENT_TYPE, type ProblemDetails } from './http/problem-details';
export { ProblemDetailsFilter } from './http/problem-details.filter';
export { ProblemDetailsDto, FieldErrorDto } from './http/problem-details.dto';
export { ApiProblems } from './http/api-problems.decorator';
export { RequestValidationError, type FieldError } from './http/request-validation-error';
export { CORRELATION_ID_HEADER } from './http/correlation-id';
export { IDEMPOTENCY_KEY_HEADER, IF_MATCH_HEADER, commandContextFromHeaders, revisionETag } from './http/command-context-headers';
export { CommandCtx } from './http/command-ctx.decorator';
export { UuidParamPipe } from './http/uuid-param.pipe';
export { strataLoggerParams, type StrataLoggerOptions } from './http/strata-logger';
export { registerSecurityHeaders } from './http/security-headers';
export { setupOpenApi, OPENAPI_PATH, type OpenApiInfo } from './http/openapi';

// Read models: MongoDB-flavoured document collections, written by projections, read by queries.
export { DocumentStore, DocumentCollection } from './documents/document-store';
export type {
  BaseDocument,
  AnyDocument,
  OptionalId,
  Filter,
  UpdateFilter,
  SortSpec,
  ProjectionSpec,
  FindOptions,
  FindOneOptions,
  UpsertOptions,
  UpdateResult,
  DeleteResult,
  InsertOneResult,
  IndexKeys,
  IndexOptions,
  IndexDescription,
} from './documents/document-types';
export { DuplicateKeyError, UnsupportedOperatorError, WriteConflictError } from './documents/document-errors';
export { InMemoryDocumentStore } from './documents/in-memory-document-store';
export type { ReadonlyCollection } from './read-models/readonly-collection';
export { ReadModels } from './read-models/read-models';
export { ReadsCollections } from './read-models/reads-collections.decorator';

// Projections: fold events into read models; operate them (status, parked events, replay).
export { Projection, type ProjectionClass } from './projections/projection.decorator';
export type { ProjectionOptions, CollectionDeclaration, IndexDeclaration } from './projections/projection-options';
export type { ProjectionHandler, ProjectionContext } from './projections/projection-handler';
export type { ProjectionSettings } from './projections/projection-settings';
export { Projections, type WaitOutcome } from './projections/projections.service';
export type { ProjectionOverview, ProjectionOverviewState } from './projections/projection-overview';
export type { ProjectionState, ProjectionStatus } from './projections/projection-status';
export { ParkedEvents, type ParkedEvent } from './projections/parked-events';
export type { ParkedRetryOutcome } from './projections/parked-event-actions';
export { ProjectionReplay, type ReplayResult } from './projections/projection-replay';
export type { ReplayProgress } from './projections/replay-progress';

// Read-your-writes: a query waits, bounded, for the position a command returned.
export { POSITION_HEADER, CONSISTENCY_TIMEOUT_VARIABLE } from './consistency/consistency-settings';
export { ReadYourWritesInterceptor } from './consistency/read-your-writes.interceptor';
export { ConsistencyTimeoutError } from './consistency/consistency-timeout.error';

// Sagas: react to events with commands and deadlines; time comes from an injectable clock.
export { Saga, type SagaClass } from './sagas/saga.decorator';
export type { SagaHandler, SagaContext } from './sagas/saga-handler';
export type { SagaOptions, SagaCommandFactory } from './sagas/saga-options';
export {
  SAGA_COMMAND_FAILED,
  type SagaCommand,
  type SagaCommandFailed,
  type DeadlineRequest,
  type SagaReaction,
} from './sagas/saga-messages';
export { Clock, SystemClock } from './sagas/clock';
export { Sagas, type SagaSummary } from './sagas/sagas.service';

// Snapshots: a decider's state saved every N events, so long streams load fast.
export { SnapshotStore, type Snapshot } from './snapshots/snapshot-store';
export { InMemorySnapshotStore } from './snapshots/in-memory-snapshot-store';
export { Snapshots, type SnapshotsOptions } from './snapshots/snapshots';
export type { SnapshotPolicy } from './snapshots/snapshot-policy';

// Operating the app: health, metrics, tracing, graceful shutdown.
export { StrataObservabilityModule } from './observability/strata-observability.module';
export { StrataMetrics } from './observability/strata-metrics';
export { inSpan, STRATA_TRACER, type SpanOptions } from './observability/tracing';
export { Draining } from './lifecycle/draining';
export { shutDownGracefully, type ShutdownOutcome } from './lifecycle/graceful-shutdown';
export { shutdownSettingsFrom, type ShutdownSettings } from './lifecycle/shutdown-settings';

// Access: JWT authentication, public routes, the caller, throttling.
export { StrataAuthModule } from './auth/strata-auth.module';
export { AUTH_VARIABLE, type AuthSettings } from './auth/auth-settings';
export { Public } from './auth/public.decorator';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { principalOf, type Principal } from './auth/principal';
export { StrataThrottleModule } from './throttling/strata-throttle.module';
export { THROTTLE_LIMIT_VARIABLE, THROTTLE_TTL_VARIABLE } from './throttling/throttle-settings';
export { THROTTLE_STORE_VARIABLE, type ThrottleStore, type SharedThrottlerStorage } from './throttling/throttle-store';

// ── Added for issue 13 (one-call bootstrap, HTTP defaults, service helpers); to be re-grouped. ──
export { createStrataApp } from './bootstrap/create-strata-app';
export { startStrataApp, type StartStrataAppOptions } from './bootstrap/start-strata-app';
export { runStrataApp } from './bootstrap/run-strata-app';
export type { StrataAppOptions, AppModuleRef } from './bootstrap/strata-app-options';
export { listenOptionsFrom, listenFailure, type ListenOptions } from './bootstrap/listen-options';
export { exitOnShutdownSignals } from './lifecycle/shutdown-signals';
export { strataValidationPipe } from './http/strata-validation-pipe';
export type { LogFormat } from './http/strata-logger';
export { newEntityId } from './commands/new-entity-id';
export { commandResponse, type CommandResponse, type CommandResponseOptions, type HeaderSink } from './http/command-response';
export { ApiCommandEndpoint, ApiQueryEndpoint } from './http/api-endpoint.decorators';
export { NoQueryDto } from './http/no-query.dto';
export { encodeCursor, decodeCursor, UUID_KEY, POSITION_KEY } from './pagination/page-cursor';
export { pageOf, type Page, type PageRequest } from './pagination/page';
export { pageRequest } from './pagination/page-request';
export { PageLimitDto, MAX_PAGE_LIMIT, DEFAULT_PAGE_LIMIT } from './pagination/page-limit.dto';
export { IsPageCursor } from './pagination/is-page-cursor.decorator';

// --- Commands without glue: a decider's command from an endpoint or a saga, and types inferred from deciders and event unions.
export { CommandSender } from './commands/command-sender';
export { DecideCommand } from './commands/decide-command';
export { DecideCommandHandler } from './commands/decide-command.handler';
export type { AnyDecider, CommandOf, EventOf, StateOf, AggregateHandleOf } from './decider/decider-types';
export type { Recorded } from './events/recorded';
export { commandFor, type DeciderSagaCommand } from './sagas/decider-saga-command';
export type { SagaCommandTarget } from './sagas/saga-messages';
export type { SagaMessage } from './sagas/saga-messages';
export type { SagaCommandsOf, SagaClassFor, HandledEventTypes } from './sagas/saga-types';
export type { SagaCommandMap } from './sagas/saga-options';

// HTTP limits for hostile clients: timeouts, connection caps, JSON depth, problem+json before routing.
export { httpLimitsFrom, DEFAULT_HTTP_LIMITS, HTTP_LIMIT_VARIABLES, type HttpLimits } from './http/limits/http-limits';
export { JsonTooDeepError, jsonNestsDeeperThan } from './http/limits/json-depth';
export { securityHeaders } from './http/security-headers';
// Identity providers: keys from a JWKS URL, and the one verifier an app shares (guard and /docs).
export { IdentityProviderUnavailableError } from './errors/access-errors';
export { JWT_VERIFIER } from './auth/jwt-auth.guard';
export type { JwksSettings } from './auth/auth-settings';
// Integration events between services: public contracts, the mapper, the outbox publisher and inboxes.
export { integrationEvent, type IntegrationEventContract, type IntegrationData, type IntegrationMessage } from './integration/integration-event';
export { publish, type IntegrationMapper, type PublishedEvent } from './integration/integration-mapper';
export { Inbox, type InboxClass } from './integration/inbox.decorator';
export type { InboxHandler, InboxMessage, InboxContext, InboxOptions } from './integration/inbox-handler';
export { StrataIntegrationModule } from './integration/strata-integration.module';
export { IntegrationEvents, type InboxRetryOutcome } from './integration/integration-events.service';
export { INTEGRATION_TRANSPORT_VARIABLE, type StrataIntegrationOptions, type PublishOptions } from './integration/integration-options';
export type { PublisherStatus } from './integration/integration-publisher';
export type { InboxStatus } from './integration/inbox-consumer';
export { InvalidIntegrationMessageError } from './integration/message-validation';
export { IntegrationTransport, type IntegrationTransportFactory } from './integration/integration-transport';
export { InMemoryIntegrationTransport } from './integration/in-memory-transport';

// Storage faults and event integrity: errors every store raises, checksums every store writes
// and verifies (store-agnostic), damaged events handed to subscribers, readiness while writes fail.
export { StorageFaultError, StoreCorruptedError, EventIntegrityError, STORAGE_FAULT_CODES, type EventDamage } from './errors/storage-errors';
export { eventChecksum, checksumMismatch, canonicalJson, type ChecksummedEvent, type StoredEventLocation } from './event-store/event-checksum';
export { markDamaged, damageOf, unreadableEvent } from './event-store/damaged-events';
export type { BackupResult } from './event-store/event-store';
export { StorageHealth, reportWrite } from './observability/storage-health';
export { verifyLog, type LogVerification, type LogProblem, type VerifyLogOptions } from './event-store/log-verification';
export { ProgressMeter } from './projections/replay-progress';
