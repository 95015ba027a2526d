/** Pinned images, shared by the test containers and docker/docker-compose.yml (keep them equal). */
export const KURRENTDB_IMAGE = 'kurrentplatform/kurrentdb:26.1.1';
// The MongoDB adapter needs 7.0 or newer (it refuses older servers at connect); 8.0 is the current LTS.
export const MONGODB_IMAGE = 'mongo:8.0.12';
