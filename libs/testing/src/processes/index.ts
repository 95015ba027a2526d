export { spawnTrackedNode, killTrackedChildren, trackedChildren, EXIT_WITH_PARENT } from './tracked-children';
