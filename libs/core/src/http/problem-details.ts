/** The media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** An RFC 9457 problem document, as Strata sends it. */
export interface ProblemDetails {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  readonly instance?: string;
  readonly code?: string;
  readonly errors?: readonly { readonly field: string; readonly message: string }[];
}

/** The problem type URN of an error code: `INSUFFICIENT_FUNDS` -> `urn:strata:problem:insufficient-funds`. */
export function problemType(code: string): string {
  return `urn:strata:problem:${code.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
}

/** A title that is the same for every occurrence of a code: `INSUFFICIENT_FUNDS` -> `Insufficient funds`. */
export function problemTitle(code: string): string {
  const words = code.toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}
