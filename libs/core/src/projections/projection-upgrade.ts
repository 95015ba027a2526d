import type { LoggerService } from '@nestjs/common';
import type { DocumentStore } from '../documents/document-store';
import type { EventStore } from '../event-store/event-store';
import type { Lease } from './projection-lease';
import { ProjectionReplay } from './projection-replay';
import type { ProjectionSettings } from './projection-settings';
import { effectiveVersion, ProjectionVersions } from './projection-versions';
import type { RegisteredProjection } from './registered-projection';

/** How often an in-process rebuild logs its progress. */
const REBUILD_LOG_INTERVAL_MS = 5_000;

/** What an upgrade needs from the runner that just took the projection's lease. */
export interface UpgradeContext {
  readonly projection: RegisteredProjection;
  readonly events: EventStore;
  readonly documents: DocumentStore;
  readonly settings: ProjectionSettings;
  readonly owner: string;
  /** The projection's lease, held by `owner`. */
  readonly lease: Lease;
  readonly logger: LoggerService;
  readonly now: () => number;
  readonly stopping: () => boolean;
  /** Called as the rebuild starts, so the runner can say so. */
  readonly rebuilding: () => void;
}

/**
 * Rebuilds a projection's read model when another version built it (one with a checkpoint but
 * no recorded version counts as version 1), and records the version of a new one. The old
 * read model is served as it is until the swap: the new code never writes into it.
 */
export async function upgradeIfOutdated(context: UpgradeContext): Promise<void> {
  const { projection, documents, lease, logger, now } = context;
  const { name, version } = projection.options;
  const hasCheckpoint = (await documents.getCheckpoint(lease.name)) !== null;
  const recorded = await new ProjectionVersions(documents).recorded(name);
  const built = effectiveVersion(recorded, hasCheckpoint);
  if (built === null || built === version) {
    if (recorded !== null) return;
    await documents.transaction(async (tx) => {
      await lease.fence(tx);
      await ProjectionVersions.record(tx, name, version);
    });
    return;
  }
  context.rebuilding();
  logger.log(`Projection '${name}' was built by v${built}; rebuilding it as v${version} while v${built} is served.`);
  let loggedAt = now();
  const result = await new ProjectionReplay(projection, context.events, documents, context.settings, context.owner, {
    holdsProjectionLease: true,
    shouldStop: context.stopping,
    logger,
    now,
    onProgress: (progress) => {
      if (now() - loggedAt < REBUILD_LOG_INTERVAL_MS) return;
      loggedAt = now();
      logger.log(`Projection '${name}' rebuild: ${progress.done} of ${progress.total ?? '?'} events, ${Math.round(progress.eventsPerSecond)} events/s.`);
    },
  }).run();
  logger.log(`Projection '${name}' v${version} swapped in at ${result.checkpoint ?? 'the start'} after ${result.events} events in ${result.elapsedMs} ms.`);
}
