export {
  DeciderSpecification,
  type DeciderGiven,
  type DeciderWhen,
  type DeciderThen,
} from './decider-specification';
export { type ErrorClass, type ErrorCheck } from './error-expectation';
export {
  ProjectionSpecification,
  type ProjectionGiven,
  type ProjectionThen,
  type HandledEvent,
} from './projection-specification';
export {
  recordGivenEvents,
  GivenEventRecorder,
  DEFAULT_GIVEN_STREAM,
  GIVEN_EVENTS_START,
  type GivenEvent,
  type AnyGivenEvent,
  type RecordedGivenEvent,
} from './given-events';
export { SpecificationFailedError } from './specification-failed-error';
export {
  SagaSpecification,
  type SagaGiven,
  type SagaWhen,
  type SagaThen,
  type SagaEventOf,
  type SagaStateOf,
} from './saga-specification';
export { type ExpectedDeadline, type ExpectedFiredDeadline } from './saga-assertions';
export {
  commandFailed,
  timeElapsed,
  type SagaCommandError,
  type SagaGivenEvent,
  type SagaHistoryEntry,
  type CommandFailedEntry,
  type TimeElapsedEntry,
} from './saga-history';
export { RecordingTracer, type RecordedSpan } from './recording-tracer';
// ── Added for issue 13: the e2e kit for any service; to be re-grouped. ──
export { StrataTestApp, type StrataTestAppOptions, type TestStore, type TestModule } from './app/strata-test-app';
export type { Reply, RequestSpec } from './app/test-reply';
export { expectProblem, malformed, aString, aUuid, fieldsOf } from './app/problem-matchers';
export { eventually } from './app/eventually';
export { ManualClock } from './app/manual-clock';
export { HttpClient, type HttpAnswer } from './app/http-client';
export { describeWithService, serviceReachable, type ServiceAddress } from './services/describe-with-service';
