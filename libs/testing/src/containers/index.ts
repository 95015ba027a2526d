export { describeWithContainers, containerUrls, CONTAINER_SUITES, CONTAINERS_VARIABLE } from './container-suites';
export { detectDockerEngine, type DockerEngine } from './docker-engine';
export { startDistributedStores, type DistributedStores, type DistributedStoreUrls } from './distributed-stores';
export { setUpContainers, tearDownContainers } from './global-setup';
export { KURRENTDB_IMAGE, MONGODB_IMAGE } from './images';
