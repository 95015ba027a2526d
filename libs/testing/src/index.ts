export {
  DeciderSpecification,
  type DeciderGiven,
  type DeciderWhen,
  type DeciderThen,
  type ErrorClass,
  type ErrorCheck,
} from './decider-specification';
export { SpecificationFailedError } from './specification-failed-error';
