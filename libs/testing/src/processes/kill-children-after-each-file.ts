import { killTrackedChildren } from './tracked-children';

// Jest setup (setupFilesAfterEnv): whatever a test file spawned through spawnTrackedNode is
// killed when the file is done, even when a test failed or timed out before its own cleanup.
afterAll(() => killTrackedChildren());
