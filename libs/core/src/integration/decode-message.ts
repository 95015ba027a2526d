import type { IntegrationMessage } from './integration-event';

/** What reading a payload came to: a message, or the reason it is not one. */
export type Decoded = { readonly message: IntegrationMessage; readonly problem: null } | { readonly message: null; readonly problem: string };

/**
 * Reads a payload as an integration message, checking the envelope field by field, so a
 * malformed message is parked with a reason that names the field instead of failing a handler.
 */
export function decodeMessage(payload: Uint8Array | string): Decoded {
  const text = typeof payload === 'string' ? payload : Buffer.from(payload).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return refuse(`the payload is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('the payload is not a JSON object');
  const record = value as Record<string, unknown>;
  for (const field of ['id', 'type', 'source', 'key', 'occurredAt'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') return refuse(`'${field}' must be a non-empty string`);
  }
  if (!Number.isInteger(record['version'])) return refuse(`'version' must be an integer`);
  if (typeof record['data'] !== 'object' || record['data'] === null || Array.isArray(record['data'])) return refuse(`'data' must be an object`);
  const headers = record['headers'] ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers) || Object.values(headers).some((v) => typeof v !== 'string')) {
    return refuse(`'headers' must be an object of strings`);
  }
  return { message: { ...(record as unknown as IntegrationMessage), headers: headers as Record<string, string> }, problem: null };
}

function refuse(problem: string): Decoded {
  return { message: null, problem: `Not an integration message: ${problem}.` };
}
