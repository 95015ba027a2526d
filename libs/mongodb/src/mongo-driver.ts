import type * as Mongo from 'mongodb';

let loaded: typeof Mongo | undefined;

/**
 * The MongoDB driver, loaded when a store first connects rather than when the package is
 * imported: an app lists every adapter it may run on, and one that runs on another store (or a
 * CLI command) should not pay for loading this driver at start-up.
 */
export async function loadMongoDriver(): Promise<typeof Mongo> {
  loaded ??= await import('mongodb');
  return loaded;
}

/** Whether `error` is one of the driver's errors (never, before a store has loaded the driver). */
export function isDriverError(error: unknown, kind: 'MongoError' | 'MongoServerError' = 'MongoError'): error is Mongo.MongoError {
  return loaded !== undefined && error instanceof loaded[kind];
}
