import { describeThrown, printValue } from './format';
import { SpecificationFailedError } from './specification-failed-error';

/** The class of an error a command should fail with; abstract classes such as `DomainError` count. */
export type ErrorClass<E extends Error = Error> = abstract new (...args: never[]) => E;

/** Inspects a thrown error: returning `false` or throwing (a failed `expect`, say) rejects it. */
export type ErrorCheck<E> = (error: E) => unknown;

/** What a `thenThrows` asked for: an error class, a check on the error, or both. */
export interface ErrorExpectation {
  readonly errorClass: ErrorClass | undefined;
  readonly check: ErrorCheck<unknown> | undefined;
  /** How a failure message names what was wanted, e.g. `CounterLimitError`. */
  readonly wanted: string;
}

/** Reads the `thenThrows(errorClassOrCheck, check?)` overloads into one expectation. */
export function errorExpectation(
  errorClassOrCheck: ErrorClass | ErrorCheck<unknown>,
  extraCheck: ErrorCheck<unknown> | undefined,
): ErrorExpectation {
  const errorClass = isErrorClass(errorClassOrCheck) ? errorClassOrCheck : undefined;
  return {
    errorClass,
    check: errorClass ? extraCheck : (errorClassOrCheck as ErrorCheck<unknown>),
    wanted: errorClass ? errorClass.name : 'an error that passes the check',
  };
}

/**
 * Throws `SpecificationFailedError` unless `thrown` is what `expectation` asks for. `actor` names
 * the code that threw (`decide`, `handle`) and `where` may add where it did, for the message.
 */
export function verifyThrown(subject: string, actor: string, thrown: unknown, expectation: ErrorExpectation, where = ''): void {
  const { errorClass, check, wanted } = expectation;
  if (errorClass && !(thrown instanceof errorClass)) {
    throw new SpecificationFailedError(
      `${subject} was expected to throw ${wanted}, but ${actor} threw ${describeThrown(thrown)}${where}`,
      { expected: errorClass, actual: thrown, cause: thrown },
    );
  }
  if (!check) return;
  let verdict: unknown;
  try {
    verdict = check(thrown);
  } catch (checkError) {
    throw new SpecificationFailedError(
      `${subject} threw ${describeThrown(thrown)}${where}\nbut the check on that error failed:\n\n` +
        (checkError instanceof Error ? checkError.message : printValue(checkError)),
      { actual: thrown, cause: checkError },
    );
  }
  if (verdict === false) {
    throw new SpecificationFailedError(
      `${subject} threw ${describeThrown(thrown)}${where}\nbut the check on that error returned false.`,
      { actual: thrown, cause: thrown },
    );
  }
}

// An arrow or plain function is a check; only a constructor whose instances are Errors is a class.
function isErrorClass(candidate: ErrorClass | ErrorCheck<unknown>): candidate is ErrorClass {
  return candidate === Error || (candidate.prototype as unknown) instanceof Error;
}
