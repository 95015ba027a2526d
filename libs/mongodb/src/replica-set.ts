import { ConfigurationError } from '@strata/core';

/** The fields of a `hello` reply that say what kind of deployment answered. */
export interface HelloReply {
  readonly setName?: string;
  /** 'isdbgrid' when a mongos router answered. */
  readonly msg?: string;
  readonly isWritablePrimary?: boolean;
  readonly secondary?: boolean;
}

/**
 * Refuses a server Strata cannot write through: a standalone server (a unit of work, a
 * projection batch with its checkpoint, is a multi-document transaction, which MongoDB runs
 * only on a replica set or a sharded cluster), and a replica set member that is not the
 * primary (reached with `directConnection=true`, every write would fail).
 */
export function assertTransactionsSupported(hello: HelloReply, variable = 'MONGODB_URL'): void {
  if (hello.msg === 'isdbgrid') return;
  if (hello.setName === undefined) {
    throw new ConfigurationError(
      variable,
      'the MongoDB server is a standalone server, but Strata commits each projection batch with its checkpoint in a ' +
        'transaction, which needs a replica set. Start mongod with --replSet rs0 and run rs.initiate() once (a ' +
        'single-node replica set is enough; docker/docker-compose.yml does this), then connect with ?replicaSet=rs0 or directConnection=true.',
    );
  }
  if (hello.isWritablePrimary !== true) {
    throw new ConfigurationError(
      variable,
      `the MongoDB server is a ${hello.secondary === true ? 'secondary' : 'non-primary member'} of replica set '${hello.setName}', which takes no writes. ` +
        `Connect to the replica set ('?replicaSet=${hello.setName}', without directConnection=true) so the driver finds the primary.`,
    );
  }
}
