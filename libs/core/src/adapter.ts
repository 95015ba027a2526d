// @strata/core/adapter: what an adapter or a tool built on the engine needs, and an app does not.
// Apps import '@strata/core'; an eslint rule keeps apps' sources away from this entry point.

// Appending: the checks every event store makes before it writes, so all of them refuse alike.
export {
  validateAppendInput,
  RESERVED_STREAM_PREFIXES,
  resolveRepeatedAppend,
  checkAppend,
  assertExpectedRevision,
  type StoredEventRef,
} from './event-store/append-validation';
export { matchesExpectedRevision } from './event-store/expected-revision';
export { DEFAULT_PAGE_SIZE } from './event-store/event-store';
export { matchesFilter, pageBounds } from './event-store/read-all-filter';
export { UpcastingEventStore } from './event-store/upcasting-event-store';

// Positions of stores that number their events with one sequence.
export {
  positionFromSequence,
  sequenceFromPosition,
  parseSequencePosition,
  parsePositionMatching,
  isSequencePosition,
} from './event-store/position';

// Document stores: a backend under the shared unit of work, or a driver behind the same semantics.
export { BackendDocumentStore } from './documents/backend-document-store';
export type { DocumentBackend, DocumentVisitor } from './documents/document-backend';
export type { DocumentTransaction, ExclusiveWriter, ExclusiveWriterOptions } from './documents/document-store';
export { DEFAULT_FIND_LIMIT } from './documents/document-types';
export { ID_INDEX, invalid as documentError, type OperatorContext } from './documents/document-errors';
export { validateFilter, SUPPORTED_FILTER_OPERATORS } from './documents/filter-validation';
export { validateUpdate, SUPPORTED_UPDATE_OPERATORS, type ValidatedUpdate } from './documents/update-validation';
export { resolveFindOptions, type ResolvedFindOptions } from './documents/find-options';
export { parseJsonDocument, toJsonDocument, isPlainObject, describe as describeValue, type JsonObject } from './documents/json-document';
export { indexKeyOf, validateCollectionName, indexSpecFrom, sameIndex, sameKeys, type IndexValue } from './documents/document-indexes';
export { separateIdUpdate, immutableId } from './documents/id-update';
export { seedFromFilter } from './documents/upsert-seed';
export { validateCheckpoint } from './documents/unit-of-work-transaction';

// Snapshots: whether a new snapshot replaces the stored one.
export { replacesSnapshot } from './snapshots/snapshot-store';

// The projection engine, for test kits and tools that run handlers outside the runner.
export { projectionOptionsOf, requireProjectionOptions } from './projections/projection.decorator';
export { ProjectionHandlerError, createProjectionContext, handlesEventType, applyEvents } from './projections/projection-context';
export { ProjectionRunner, projectionCheckpointName, type RegisteredProjection } from './projections/projection-runner';
export { DEFAULT_PROJECTION_SETTINGS, resolveProjectionSettings } from './projections/projection-settings';
export { LEASES_COLLECTION, newLeaseOwner, type LeaseDocument } from './projections/projection-lease';
export { PARKED_COLLECTION } from './projections/parked-events';

// The saga engine's steps and stored documents, for test kits that run a saga without the engine.
export { sagaOptionsOf, requireSagaOptions } from './sagas/saga.decorator';
export { sagaStep, sagaCommandId, instanceIdOf, type SagaStep } from './sagas/saga-step';
export {
  SAGA_INSTANCES,
  SAGA_OUTBOX,
  SAGA_DEADLINES,
  sagaStreamId,
  type SagaInstanceDocument,
  type OutboxDocument,
  type DeadlineDocument,
} from './sagas/saga-documents';

// Choosing stores by name, as StrataModule does: for adapters' own tests of their selection.
export { resolveEventStore, resolveDocumentStore } from './module/resolve-event-store';

// The HTTP status each error code maps to: for adapters' tests of the codes they raise.
export { httpStatusOf } from './http/http-status';
// Integration transports: what a broker adapter implements, and the envelope it carries.
export { encodeMessage, type Delivery, type Consumption, type ConsumeOptions } from './integration/integration-transport';
export { decodeMessage, type Decoded } from './integration/decode-message';
export { partitionOf } from './integration/partition';
export { inboxOptionsOf } from './integration/inbox.decorator';
export { IntegrationPublisher, publisherSubscriptionName, type PublisherSettings } from './integration/integration-publisher';
export { InboxConsumer } from './integration/inbox-consumer';
export { InboxProcessor } from './integration/inbox-processor';
export { InboxParking, inboxSubscriptionName, type ParkedMessage } from './integration/inbox-parking';
export { wholeSetting, textSetting } from './observability/env-settings';


// Document stores over a network: the unit of work runs in core, the backend fetches and commits in round trips.
export { RemoteDocumentStore } from './documents/remote-document-store';
export { StaleCollectionError, type RemoteDocumentBackend, type CollectionInfo, type CollectionWrites, type DocumentBatch } from './documents/remote-document-backend';
export { keyObject } from './documents/document-indexes';
export { toProblemDetails } from './http/to-problem-details';
// Throttling: the shared store's fallback to this instance's own count, for throttle stores' tests.
export { FallbackThrottlerStorage } from './throttling/fallback-throttler-storage';
