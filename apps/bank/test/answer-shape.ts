import { PROBLEM_CONTENT_TYPE } from '@strata/core';
import type { Reply } from './bank-test-app';

const PROBLEM_KEYS = new Set(['type', 'title', 'status', 'detail', 'instance', 'code', 'errors']);

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

