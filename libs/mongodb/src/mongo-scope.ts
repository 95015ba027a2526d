import type { ClientSession, Db } from 'mongodb';
import type { IndexCatalog } from './index-catalog';
import type { ServerFeatures } from './server-version';

/** Where a collection's operations run: auto-committed, or inside one unit of work's transaction. */
export interface MongoScope {
  readonly db: Db;
  readonly catalog: IndexCatalog;
  readonly server: ServerFeatures;
  /** The unit of work's session; undefined when each operation commits on its own. */
  readonly session: ClientSession | undefined;
  /** Throws when the store is closed, the unit has ended or was aborted, or the collection was renamed in it. */
  assertUsable(collection: string): void;
  /** Runs a multi-document write all-or-nothing: in the unit's transaction, or a transaction of its own. */
  atomically<R>(work: (session: ClientSession) => Promise<R>): Promise<R>;
  /** Called with an error raised inside the unit's transaction and its translation; a server error has aborted the transaction. */
  aborted?(error: unknown, translated: unknown): void;
}
