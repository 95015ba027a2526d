// @strata/core/adapter: what an adapter, a test kit or a tool built on the engine needs, and an app
// does not. Apps import '@strata/core'; an eslint rule keeps apps' sources away from this entry point.
// test/packages/public-api.spec.ts pins this list.

// Errors an event store raises: revision conflicts, missing streams, storage faults and damaged bytes.
export { WrongExpectedRevisionError, StreamNotFoundError } from './errors/concurrency-errors';
export { StorageFaultError, StoreCorruptedError, EventIntegrityError } from './errors/storage-errors';

// Events as a store writes and reads them: metadata, checksums every store writes and verifies, damaged events.
export type { EventMetadata } from './events/event';
export { eventChecksum, checksumMismatch, verifiedEvent, type ChecksummedText } from './event-store/event-checksum';
export { markDamaged, damageOf, unreadableEvent, markUnchecked, isUnchecked } from './event-store/damaged-events';

// Appending: the checks every event store makes before it writes, so all of them refuse alike.
export { type ExpectedRevision, matchesExpectedRevision } from './event-store/expected-revision';
export { validateAppendInput, resolveRepeatedAppend, checkAppend, type StoredEventRef } from './event-store/append-validation';

// Reading: pages, filters, positions of stores that number their events with one sequence, log verification.
export { type ReadAllFilter, type BackupResult, DEFAULT_PAGE_SIZE } from './event-store/event-store';
export type { LogVerification, LogProblem } from './event-store/log-verification';
export { pageBounds } from './event-store/read-all-filter';
export { positionFromSequence, sequenceFromPosition, parseSequencePosition, parsePositionMatching } from './event-store/position';

// Plugging stores into StrataModule, and choosing them by name as it does.
export type { StrataAdapter, EventLogAdapter } from './module/strata-adapter';
export { resolveEventStore, resolveDocumentStore } from './module/resolve-event-store';

// Document stores: the port in full, a backend under the shared unit of work, or a driver behind the same semantics.
export { DocumentCollection, type DocumentTransaction } from './documents/document-store';
export type {
  BaseDocument,
  AnyDocument,
  OptionalId,
  UpdateFilter,
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
export { DuplicateKeyError, WriteConflictError, ID_INDEX, invalid as documentError } from './documents/document-errors';
export { BackendDocumentStore } from './documents/backend-document-store';
export type { DocumentBackend, DocumentVisitor } from './documents/document-backend';
export { validateFilter } from './documents/filter-validation';
export { validateUpdate, type ValidatedUpdate } from './documents/update-validation';
export { resolveFindOptions } from './documents/find-options';
export { parseJsonDocument, toJsonDocument, isPlainObject, describe as describeValue, type JsonObject } from './documents/json-document';
export { indexKeyOf, validateCollectionName, indexSpecFrom, sameIndex, sameKeys, keyObject } from './documents/document-indexes';
export { separateIdUpdate, immutableId } from './documents/id-update';
export { seedFromFilter } from './documents/upsert-seed';
export { validateCheckpoint } from './documents/unit-of-work-transaction';
export { RemoteDocumentStore } from './documents/remote-document-store';
export {
  StaleCollectionError,
  type RemoteDocumentBackend,
  type CollectionInfo,
  type CollectionWrites,
  type DocumentBatch,
} from './documents/remote-document-backend';

// Snapshot stores.
export { SnapshotStore, type Snapshot, replacesSnapshot } from './snapshots/snapshot-store';

// The projection engine, for test kits and tools that run handlers outside the runner, and the CLI's operations.
export type { ProjectionOptions } from './projections/projection-options';
export type { ParkedRetryOutcome, ParkedSkipOutcome } from './projections/parked-event-actions';
export { ProjectionReplay, type ReplayResult } from './projections/projection-replay';
export { type ReplayProgress, ProgressMeter } from './projections/replay-progress';
export { requireProjectionOptions } from './projections/projection.decorator';
export { ProjectionHandlerError, applyEvents, type ApplyOptions } from './projections/projection-context';
export { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from './projections/projection-runner';
export { versionedCollection } from './projections/registered-projection';
export { INSTANCES_COLLECTION, ServingInstances, type ServingInstanceDocument } from './projections/serving-instances';
export { PROJECTIONS_COLLECTION, type ProjectionVersionDocument } from './projections/projection-versions';
export { DEFAULT_PROJECTION_SETTINGS, resolveProjectionSettings } from './projections/projection-settings';
export { LEASES_COLLECTION, newLeaseOwner, type LeaseDocument } from './projections/projection-lease';
export { PARKED_COLLECTION } from './projections/parked-events';

// The saga engine's steps and stored documents, for test kits that run a saga without the engine.
export type { SagaOptions } from './sagas/saga-options';
export { SAGA_COMMAND_FAILED, type SagaCommand, type DeadlineRequest } from './sagas/saga-messages';
export { Sagas, type SagaSummary } from './sagas/sagas.service';
export { requireSagaOptions } from './sagas/saga.decorator';
export { sagaStep, instanceIdOf, type SagaStep } from './sagas/saga-step';
export { SAGA_INSTANCES, SAGA_OUTBOX, SAGA_DEADLINES, sagaStreamId, type SagaInstanceDocument, type DeadlineDocument } from './sagas/saga-documents';

// Integration transports: what a broker adapter implements, the envelope it carries, and the engine behind inboxes.
export {
  IntegrationTransport,
  type IntegrationTransportFactory,
  encodeMessage,
  type Delivery,
  type Consumption,
  type ConsumeOptions,
} from './integration/integration-transport';
export { decodeMessage } from './integration/decode-message';
export { partitionOf } from './integration/partition';
export { IntegrationPublisher, publisherSubscriptionName } from './integration/integration-publisher';
export { InboxConsumer } from './integration/inbox-consumer';
export { InboxProcessor } from './integration/inbox-processor';
export { InboxParking } from './integration/inbox-parking';

// Settings, tracing, and the HTTP status and problem shape of each error code (for adapters' tests of the codes they raise).
export { PROBLEM_CONTENT_TYPE } from './http/problem-details';
export { inSpan } from './observability/tracing';
export { httpStatusOf } from './http/http-status';
export { wholeSetting } from './observability/env-settings';
export { toProblemDetails } from './http/to-problem-details';

// Commands run without the Nest module (test kits).
export { handleCommand } from './commands/handle-command';
// Throttling: what a shared throttle store implements, and its fallback to this instance's own count.
export { THROTTLE_STORE_VARIABLE, type ThrottleStore, type SharedThrottlerStorage } from './throttling/throttle-store';
export { FallbackThrottlerStorage } from './throttling/fallback-throttler-storage';
