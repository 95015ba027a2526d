import { type ProblemDetails } from '@strata/core';
import { PROBLEM_CONTENT_TYPE } from '@strata/core/adapter';
import type { Reply } from './test-reply';

const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']);

/** Asserts an RFC 9457 problem with this status (and code), and no trace of a stack; returns it. */
export function expectProblem(reply: Reply, status: number, code?: string): ProblemDetails {
  expect(reply.status).toBe(status);
  expect(String(reply.headers['content-type'])).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}\\b`));
  const problem = reply.json<ProblemDetails>();
  expect(Object.keys(problem).filter((key) => !PROBLEM_KEYS.has(key))).toEqual([]);
  expect(problem.status).toBe(status);
  expect(problem.type).toMatch(/^urn:strata:problem:[a-z0-9-]+$/);
  expect(problem.title).toEqual(expect.any(String));
  expect(problem.detail).toEqual(expect.any(String));
  expect(reply.body).not.toMatch(/\bat .+\.(ts|js):\d+|stack/i);
  if (code !== undefined) {
    expect(problem.code).toBe(code);
    expect(problem.type).toBe(`urn:strata:problem:${code.toLowerCase().replace(/_/g, '-')}`);
  }
  return problem;
}

/** No 5xx; a 4xx is a well-formed problem+json with no stack; a 2xx is JSON. Returns the failure, or null. */
export function malformed(reply: Reply): string | null {
  if (reply.status >= 500) return `a ${reply.status}: ${reply.body}`;
  let body: Record<string, unknown>;
  try {
    body = reply.json();
  } catch {
    return `a body that is not JSON: ${reply.body.slice(0, 100)}`;
  }
  if (reply.status < 400) return null;
  if (!String(reply.headers['content-type']).startsWith(PROBLEM_CONTENT_TYPE)) return `a ${reply.status} that is not problem+json`;
  if (Object.keys(body).some((key) => !PROBLEM_KEYS.has(key))) return `a problem with unknown keys: ${reply.body}`;
  if (body['status'] !== reply.status || typeof body['detail'] !== 'string' || !/^urn:strata:problem:[a-z0-9-]+$/.test(String(body['type']))) {
    return `an incomplete problem: ${reply.body}`;
  }
  return /\bat .+\.(ts|js):\d+/.test(reply.body) ? `a stack trace: ${reply.body}` : null;
}

/** Matches any string (positions are opaque); typed `unknown` so it is no `any` in a literal. */
export function aString(): unknown {
  return expect.any(String);
}

/** Matches a lower-case UUID. */
export function aUuid(): unknown {
  return expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
}

/** The fields a 400 names. */
export function fieldsOf(problem: ProblemDetails): string[] {
  return [...new Set((problem.errors ?? []).map((error) => error.field))];
}
