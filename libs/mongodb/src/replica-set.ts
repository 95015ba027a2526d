import { ConfigurationError } from '@strata/core';

/** The fields of a `hello` reply that say what kind of deployment answered. */
export interface HelloReply {
  readonly setName?: string;
  /** 'isdbgrid' when a mongos router answered. */
  readonly msg?: string;
  readonly isWritablePrimary?: boolean;
}

/**
 * Refuses a standalone server: a unit of work (a projection batch with its checkpoint) is a
 * multi-document transaction, and MongoDB runs those only on a replica set or a sharded cluster.
 */
export function assertTransactionsSupported(hello: HelloReply, variable = 'MONGODB_URL'): void {
  if (hello.setName !== undefined || hello.msg === 'isdbgrid') return;
  throw new ConfigurationError(
    variable,
    'the MongoDB server is a standalone server, but Strata commits each projection batch with its checkpoint in a ' +
      'transaction, which needs a replica set. Start mongod with --replSet rs0 and run rs.initiate() once (a ' +
      'single-node replica set is enough; docker/docker-compose.yml does this), then connect with ?replicaSet=rs0 or directConnection=true.',
  );
}
