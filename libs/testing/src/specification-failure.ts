import { SpecificationFailedError } from './specification-failed-error';

/** For the specifications' own tests: runs an assertion that must fail and returns its failure. */
export async function failureOf(assertion: () => Promise<void>): Promise<SpecificationFailedError> {
  try {
    await assertion();
  } catch (error) {
    if (error instanceof SpecificationFailedError) return error;
    throw error;
  }
  throw new Error('Expected the specification to fail, but it passed.');
}
