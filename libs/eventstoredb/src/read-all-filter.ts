import { eventTypeFilter, excludeSystemEvents, streamNameFilter, type Filter } from '@kurrent/kurrentdb-client';
import type { ReadAllFilter } from '@strata/core/adapter';
import type { StreamNamespace } from './stream-namespace';

/** A server-side filter, plus the check the client must still make (the server takes one filter). */
export interface ServerFilter {
  readonly filter: Filter;
  /** Whether an event the server returned belongs in the result. */
  readonly accepts: (type: string, streamId: string) => boolean;
}

/**
 * Builds the `$all` filter for a `readAll`. Without a namespace, event types match exactly
 * through an anchored regex, stream prefixes are the server's prefix filter, and no filter
 * means "exclude system events". With a namespace the server filters on it, and a type filter
 * is applied to what comes back.
 */
export function buildServerFilter(filter: ReadAllFilter | undefined, namespace: StreamNamespace): ServerFilter {
  const types = filter && 'eventTypes' in filter ? new Set(filter.eventTypes) : null;
  const prefixes = filter && 'streamPrefixes' in filter ? filter.streamPrefixes : null;
  if (namespace.prefix !== '') {
    return {
      filter: streamNameFilter({ prefixes: (prefixes ?? ['']).map((prefix) => namespace.qualify(prefix)) }),
      accepts: (type) => !type.startsWith('$') && (types === null || types.has(type)),
    };
  }
  if (types !== null) return { filter: eventTypeFilter({ regex: exactly([...types]) }), accepts: () => true };
  if (prefixes !== null) return { filter: streamNameFilter({ prefixes: [...prefixes] }), accepts: (type) => !type.startsWith('$') };
  return { filter: excludeSystemEvents(), accepts: () => true };
}

/** An anchored regex matching exactly these names; an empty list matches nothing. */
export function exactly(names: readonly string[]): string {
  if (names.length === 0) return '^(?!)$';
  return `^(?:${names.map(escapeRegex).join('|')})$`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
