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
  DEFAULT_GIVEN_STREAM,
  GIVEN_EVENTS_START,
  type GivenEvent,
  type AnyGivenEvent,
  type RecordedGivenEvent,
} from './given-events';
export { SpecificationFailedError } from './specification-failed-error';
