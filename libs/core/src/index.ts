export { StrataError, DomainError, NotFoundError, ConfigurationError } from './errors/strata-error';
export {
  WrongExpectedRevisionError,
  ConcurrencyConflictError,
  DuplicateEventIdError,
  IdempotencyKeyReusedError,
  StreamNotFoundError,
} from './errors/concurrency-errors';
export type { Event, EventMetadata, EventToAppend, RecordedEvent } from './events/event';
export { Upcasters, type Upcaster } from './events/upcasters';
export { type ExpectedRevision, matchesExpectedRevision } from './event-store/expected-revision';
export {
  type Position,
  positionFromSequence,
  sequenceFromPosition,
  parseSequencePosition,
  parsePositionMatching,
  isSequencePosition,
  comparePositions,
} from './event-store/position';
export {
  EventStore,
  DEFAULT_PAGE_SIZE,
  type AppendOptions,
  type AppendResult,
  type Direction,
  type ReadStreamOptions,
  type ReadAllFilter,
  type ReadAllOptions,
  type ReadAllPage,
} from './event-store/event-store';
export {
  validateAppendInput,
  resolveRepeatedAppend,
  assertExpectedRevision,
  type StoredEventRef,
} from './event-store/append-validation';
export { matchesFilter, pageBounds } from './event-store/read-all-filter';
export { InMemoryEventStore } from './event-store/in-memory-event-store';
export { UpcastingEventStore } from './event-store/upcasting-event-store';
export { type Decider, streamIdOf } from './decider/decider';
export type { CommandContext } from './commands/command-context';
export type { CommandResult } from './commands/command-result';
export { deriveEventId, deriveId } from './commands/event-ids';
export { type RetryPolicy, DEFAULT_RETRY_POLICY, backoffDelay, resolveRetryPolicy } from './commands/retry-policy';
export { handleCommand, loadStream, type LoadedStream, type HandleCommandOptions } from './commands/handle-command';
export { AggregateHandle } from './commands/aggregate-handle';
export type { Environment, StrataAdapter } from './module/strata-adapter';
export { inMemoryAdapter } from './module/in-memory-adapter';
export { STRATA_OPTIONS, type StrataModuleOptions, type StrataModuleAsyncOptions, type StrataOptionsFactory } from './module/strata-options';
export { resolveEventStore, resolveDocumentStore, EVENT_STORE_VARIABLE, READ_STORE_VARIABLE } from './module/resolve-event-store';
export { StrataModule, InjectDecider, getDeciderToken, type StrataFeature } from './module/strata.module';
export { PROBLEM_CONTENT_TYPE, problemType, type ProblemDetails } from './http/problem-details';
export { httpStatusOf } from './http/http-status';
export { toProblemDetails } from './http/to-problem-details';
export { ProblemDetailsFilter } from './http/problem-details.filter';
export {
  RequestValidationError,
  validationExceptionFactory,
  fieldErrorsOf,
  type FieldError,
} from './http/request-validation-error';
export {
  CORRELATION_ID_HEADER,
  correlationIdOf,
  echoCorrelationId,
  isValidCorrelationId,
} from './http/correlation-id';
export {
  IDEMPOTENCY_KEY_HEADER,
  IF_MATCH_HEADER,
  commandContextFromHeaders,
  revisionETag,
} from './http/command-context-headers';
export { CommandCtx } from './http/command-ctx.decorator';
export { requestFingerprint, type FingerprintedRequest } from './http/request-fingerprint';
export { UuidParamPipe } from './http/uuid-param.pipe';
export { strataLoggerParams, type StrataLoggerOptions } from './http/strata-logger';
export {
  configureStrataHttp,
  createStrataFastifyAdapter,
  STRATA_APP_OPTIONS,
  STRATA_BODY_LIMIT,
} from './http/configure-strata-http';
export {
  DocumentStore,
  DocumentCollection,
  type DocumentTransaction,
} from './documents/document-store';
export {
  DEFAULT_FIND_LIMIT,
  type BaseDocument,
  type AnyDocument,
  type OptionalId,
  type Filter,
  type UpdateFilter,
  type SortSpec,
  type ProjectionSpec,
  type FindOptions,
  type FindOneOptions,
  type UpsertOptions,
  type UpdateResult,
  type DeleteResult,
  type InsertOneResult,
  type IndexKeys,
  type IndexOptions,
  type IndexDescription,
} from './documents/document-types';
export {
  DuplicateKeyError,
  UnsupportedOperatorError,
  WriteConflictError,
  ID_INDEX,
  type OperatorContext,
} from './documents/document-errors';
export { SUPPORTED_FILTER_OPERATORS } from './documents/filter-validation';
export { SUPPORTED_UPDATE_OPERATORS } from './documents/update-validation';
export { InMemoryDocumentStore } from './documents/in-memory-document-store';
export { BackendDocumentStore } from './documents/backend-document-store';
export type { DocumentBackend, DocumentVisitor } from './documents/document-backend';
export { indexKeyOf, validateCollectionName, type IndexValue } from './documents/document-indexes';
export { parseJsonDocument, type JsonObject } from './documents/json-document';
export type { ProjectionOptions, CollectionDeclaration, IndexDeclaration } from './projections/projection-options';
export type { ProjectionHandler, ProjectionContext } from './projections/projection-handler';
export {
  Projection,
  projectionOptionsOf,
  requireProjectionOptions,
  type ProjectionClass,
} from './projections/projection.decorator';
export {
  ProjectionHandlerError,
  createProjectionContext,
  handlesEventType,
  applyEvents,
} from './projections/projection-context';
export type { ReadonlyCollection } from './read-models/readonly-collection';
export { ReadModels } from './read-models/read-models';
export { ReadsCollections, READS_COLLECTIONS } from './read-models/reads-collections.decorator';
export { type ProjectionSettings, DEFAULT_PROJECTION_SETTINGS, resolveProjectionSettings } from './projections/projection-settings';
export type { ProjectionState, ProjectionStatus } from './projections/projection-status';
export { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from './projections/projection-runner';
export { Projections, type WaitOutcome } from './projections/projections.service';
export { Lease, LeaseLostError, LEASES_COLLECTION, newLeaseOwner, type LeaseDocument } from './projections/projection-lease';
export { ParkedEvents, PARKED_COLLECTION, type ParkedEvent } from './projections/parked-events';
export { WakeUp } from './projections/wake-up';
export { ConsistencyTimeoutError } from './consistency/consistency-timeout.error';
export {
  POSITION_HEADER,
  CONSISTENCY_TIMEOUT_VARIABLE,
  DEFAULT_CONSISTENCY_TIMEOUT_MS,
  consistencyTimeoutMs,
} from './consistency/consistency-settings';
export { ReadYourWritesInterceptor } from './consistency/read-your-writes.interceptor';
export { Clock, SystemClock } from './sagas/clock';
export {
  SAGA_COMMAND_FAILED,
  type SagaCommand,
  type SagaCommandFailed,
  type DeadlineRequest,
  type SagaReaction,
} from './sagas/saga-messages';
export type { SagaHandler, SagaContext } from './sagas/saga-handler';
export type { SagaOptions, SagaCommandFactory } from './sagas/saga-options';
export { Saga, sagaOptionsOf, requireSagaOptions, type SagaClass } from './sagas/saga.decorator';
export {
  SAGA_INSTANCES,
  SAGA_OUTBOX,
  SAGA_DEADLINES,
  sagaStreamId,
  instanceKey,
  deadlineKey,
  type SagaInstanceDocument,
  type OutboxDocument,
  type DeadlineDocument,
} from './sagas/saga-documents';
export { sagaStep, sagaCommandId, instanceIdOf, type SagaStep } from './sagas/saga-step';
export { sagaSubscription, sagaSubscriptionName } from './sagas/saga-subscription';
export { SagaDispatcher, type DispatcherSettings } from './sagas/saga-dispatcher';
export { SagaScheduler } from './sagas/saga-scheduler';
export { Sagas, type SagaSummary } from './sagas/sagas.service';
export {
  ProjectionReplay,
  ReplayInProgressError,
  ReplayAbortedError,
  MAX_REPLAY_PARKED,
  type ReplayResult,
  type ReplayRunOptions,
} from './projections/projection-replay';
export type { ReplayProgress } from './projections/replay-progress';
export { describeProjection, type ProjectionOverview, type ProjectionOverviewState } from './projections/projection-overview';
export { ParkedEventActions, type ParkedRetryOutcome } from './projections/parked-event-actions';
export { ProjectionVersions, PROJECTIONS_COLLECTION, effectiveVersion, type ProjectionVersionDocument } from './projections/projection-versions';
export { shadowName, SHADOW_SUFFIX } from './projections/shadow-collections';
export { replayLeaseName } from './projections/registered-projection';
export { activeHolder, type LeaseReport } from './projections/projection-lease';
export { parkedId } from './projections/parked-events';
// Document semantics an adapter enforces before handing operations to its own driver.
export { validateFilter } from './documents/filter-validation';
export { validateUpdate, type ValidatedUpdate } from './documents/update-validation';
export { resolveFindOptions, type ResolvedFindOptions } from './documents/find-options';
export { toJsonDocument, isPlainObject, describe as describeValue } from './documents/json-document';
export { indexSpecFrom, sameIndex, sameKeys } from './documents/document-indexes';
export { separateIdUpdate, immutableId } from './documents/id-update';
export { seedFromFilter } from './documents/upsert-seed';
export { validateCheckpoint } from './documents/unit-of-work-transaction';
export { invalid as documentError } from './documents/document-errors';
export { UnauthenticatedError, ForbiddenError, RateLimitedError } from './errors/access-errors';
export { strataTelemetry, type TelemetrySignal, type CommandOutcome } from './observability/strata-telemetry';
export {
  inSpan,
  currentTraceCarrier,
  contextFromCarrier,
  traceCarrierOf,
  STRATA_TRACER,
  type SpanOptions,
  type TraceCarrier,
} from './observability/tracing';
export { StrataObservabilityModule } from './observability/strata-observability.module';
export { StrataMetrics } from './observability/strata-metrics';
export { SubscriptionLags, type SubscriptionLag } from './observability/subscription-lags';
export { readinessSettingsFrom, type ReadinessSettings } from './observability/readiness-settings';
export { Draining } from './lifecycle/draining';
export { shutDownGracefully, type ShutdownOutcome } from './lifecycle/graceful-shutdown';
export { shutdownSettingsFrom, type ShutdownSettings } from './lifecycle/shutdown-settings';
export { StrataAuthModule } from './auth/strata-auth.module';
export { authSettingsFrom, AUTH_VARIABLE, type AuthSettings, type JwtSettings, type JwtAlgorithm } from './auth/auth-settings';
export { JwtVerifier } from './auth/jwt-verifier';
export { JwtAuthGuard, AUTH_SETTINGS } from './auth/jwt-auth.guard';
export { Public, PUBLIC_ROUTE } from './auth/public.decorator';
export { CurrentPrincipal } from './auth/current-principal.decorator';
export { principalOf, setPrincipal, type Principal } from './auth/principal';
export { StrataThrottleModule } from './throttling/strata-throttle.module';
export { throttleSettingsFrom, THROTTLE_LIMIT_VARIABLE, THROTTLE_TTL_VARIABLE, type ThrottleSettings } from './throttling/throttle-settings';
export { StrataThrottlerGuard } from './throttling/strata-throttler.guard';
export { ProblemDetailsDto, FieldErrorDto } from './http/problem-details.dto';
export { ApiProblems } from './http/api-problems.decorator';
export { registerSecurityHeaders } from './http/security-headers';
export { setupOpenApi, OPENAPI_PATH, type OpenApiInfo } from './http/openapi';
export { SnapshotStore, replacesSnapshot, type Snapshot } from './snapshots/snapshot-store';
export { InMemorySnapshotStore } from './snapshots/in-memory-snapshot-store';
export { Snapshots, type SnapshotsOptions } from './snapshots/snapshots';
export type { SnapshotPolicy } from './snapshots/snapshot-policy';
export type { LoadStreamOptions } from './commands/load-stream';
export { STRATA_SNAPSHOTS } from './module/strata.module';
export type { ExclusiveWriter, ExclusiveWriterOptions } from './documents/document-store';
export { BatchSizer, BATCH_BUDGET_MS, Pace } from './projections/batch-sizer';
// Storage faults and event integrity: errors every store raises, checksums every store writes
// and verifies (store-agnostic), damaged events handed to subscribers, readiness while writes fail.
export { StorageFaultError, StoreCorruptedError, EventIntegrityError, STORAGE_FAULT_CODES, type EventDamage } from './errors/storage-errors';
export { eventChecksum, checksumMismatch, canonicalJson, type ChecksummedEvent, type StoredEventLocation } from './event-store/event-checksum';
export { markDamaged, damageOf, unreadableEvent } from './event-store/damaged-events';
export type { BackupResult } from './event-store/event-store';
export { StorageHealth, reportWrite } from './observability/storage-health';
export { verifyLog, type LogVerification, type LogProblem, type VerifyLogOptions } from './event-store/log-verification';
export { ProgressMeter } from './projections/replay-progress';
