import { GenericContainer, Wait, type StartedTestContainer } from 'testcontainers';
import { KURRENTDB_IMAGE, MONGODB_IMAGE } from './images';

/** Connection strings of the containers a test run started. */
export interface DistributedStoreUrls {
  readonly kurrentdb: string;
  readonly mongodb: string;
}

/** The running containers, to stop at the end of the run. */
export interface DistributedStores {
  readonly urls: DistributedStoreUrls;
  stop(): Promise<void>;
}

/** Starts KurrentDB (insecure, in memory) and a single-node MongoDB replica set, once per test run. */
export async function startDistributedStores(): Promise<DistributedStores> {
  const [kurrent, mongo] = await Promise.all([startKurrentDb(), startMongoReplicaSet()]);
  return {
    urls: {
      kurrentdb: `kurrentdb://${kurrent.getHost()}:${kurrent.getMappedPort(2113)}?tls=false`,
      // directConnection: the replica set member advertises its in-container address, which the host cannot reach.
      mongodb: `mongodb://${mongo.getHost()}:${mongo.getMappedPort(27017)}/?directConnection=true`,
    },
    stop: async () => {
      await Promise.all([kurrent.stop(), mongo.stop()]);
    },
  };
}

function startKurrentDb(): Promise<StartedTestContainer> {
  return new GenericContainer(KURRENTDB_IMAGE)
    .withEnvironment({ KURRENTDB_INSECURE: 'true', KURRENTDB_MEM_DB: 'true', KURRENTDB_RUN_PROJECTIONS: 'None' })
    .withExposedPorts(2113)
    .withWaitStrategy(Wait.forHttp('/health/live', 2113).forStatusCode(204))
    .start();
}

async function startMongoReplicaSet(): Promise<StartedTestContainer> {
  const container = await new GenericContainer(MONGODB_IMAGE)
    .withCommand(['mongod', '--replSet', 'rs0', '--bind_ip_all'])
    .withExposedPorts(27017)
    .withWaitStrategy(Wait.forLogMessage(/Waiting for connections/))
    .start();
  const init = await container.exec(['mongosh', '--quiet', '--eval', "rs.initiate({ _id: 'rs0', members: [{ _id: 0, host: 'localhost:27017' }] })"]);
  if (init.exitCode !== 0) throw new Error(`rs.initiate failed: ${init.output}`);
  // A transaction needs a primary; the single member elects itself within a few seconds.
  const primary = await container.exec(['mongosh', '--quiet', '--eval', 'for (let i = 0; i < 100 && !db.hello().isWritablePrimary; i++) sleep(100); db.hello().isWritablePrimary']);
  if (!primary.output.includes('true')) throw new Error(`the replica set elected no primary: ${primary.output}`);
  return container;
}
