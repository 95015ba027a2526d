import { StrataError } from '@strata/core';
import { StoreCorruptedError } from '@strata/core/adapter';

/** An error the server sent, with its SQLSTATE. */
export interface PostgresServerError extends Error {
  readonly code: string;
  readonly constraint?: string;
  readonly table?: string;
}

/** Whether `error` came from the server with a SQLSTATE (by shape: jest loads modules more than once). */
export function isPostgresError(error: unknown): error is PostgresServerError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' && /^[0-9A-Z]{5}$/.test((error as { code: string }).code);
}

/** SQLSTATE classes and codes that say the server is gone or refuses connections, not that the query was wrong. */
const UNAVAILABLE_STATES = /^(08|53|57P0[1-4]|58)/;
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE', 'EAI_AGAIN']);
const NETWORK_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended unexpectedly/i;

/** Whether `error` means PostgreSQL could not be reached or dropped the connection. */
export function isUnreachable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_STATES.test(code)))) return true;
  return typeof message === 'string' && NETWORK_MESSAGES.test(message);
}

/**
 * Turns an unreachable server into the store's 503 code (`EVENT_STORE_UNAVAILABLE`,
 * `READ_STORE_UNAVAILABLE`); any other error is returned as it is.
 */
export function unavailableError(error: unknown, code: 'EVENT_STORE_UNAVAILABLE' | 'READ_STORE_UNAVAILABLE', what: string): unknown {
  if (StrataError.isStrataError(error) || !isUnreachable(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new StrataError(code, `PostgreSQL could not ${what}: ${reason}. Check DATABASE_URL (or the PG* variables) and that the server is up.`, { cause: error });
}

/**
 * The server's own finding of a damaged page (SQLSTATE XX001 data_corrupted, XX002
 * index_corrupted, raised when a page fails its checksum or its header makes no sense) as
 * `STORE_CORRUPTED`, so `verify` steps past it one position at a time; else undefined.
 */
export function corruptedError(error: unknown, what: string): StoreCorruptedError | undefined {
  if (!isPostgresError(error) || (error.code !== 'XX001' && error.code !== 'XX002')) return undefined;
  return new StoreCorruptedError(
    `PostgreSQL could not ${what}: a page of the event log is damaged (${error.code}: ${error.message}). Nothing was changed. Run the CLI's 'verify' to list what is unreadable, then restore from a backup (README 'Backup and restore').`,
    { cause: error },
  );
}
