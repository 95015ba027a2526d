/** Pinned images, shared by the test containers and docker/docker-compose.yml (keep them equal). */
export const KURRENTDB_IMAGE = 'kurrentplatform/kurrentdb:26.1.1';
export const MONGODB_IMAGE = 'mongo:8.0.12';
