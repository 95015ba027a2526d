import type { ModuleRef } from '@nestjs/core';
import { IntegrationEvents, type Projections } from '@strata/core';
import type { ParkedRetryOutcome, ParkedSkipOutcome } from '@strata/core/adapter';
import type { CliOutput } from '../../cli-output';

/**
 * Where a parked id is acted on: an inbox's message through the app's integration events,
 * anything else (projections, sagas) through the projections' parked-event actions.
 */
export class ParkedRoutes {
  constructor(
    private readonly projections: Projections,
    private readonly moduleRef: ModuleRef,
  ) {}

  async retry(id: string): Promise<ParkedRetryOutcome> {
    const inboxes = this.inboxes();
    return inboxes?.ownsParked(id) ? inboxes.retryParked(id) : this.projections.parkedEvents().retry(id);
  }

  async skip(id: string): Promise<ParkedSkipOutcome> {
    const inboxes = this.inboxes();
    return inboxes?.ownsParked(id) ? inboxes.skipParked(id) : this.projections.parkedEvents().skip(id);
  }

  /** The app's integration events, when it has them: its parked messages go through it. */
  private inboxes(): IntegrationEvents | null {
    try {
      return this.moduleRef.get(IntegrationEvents, { strict: false });
    } catch {
      return null;
    }
  }
}

/** Prints a sequence's outcome: one line per event applied, and the one that failed again. */
export function printSequence(output: CliOutput, outcome: ParkedRetryOutcome, relation: string): void {
  for (const applied of outcome.applied) output.line(applied === outcome.id ? `applied ${applied}` : `applied ${applied} (${relation} ${outcome.id})`);
  if (outcome.failed === null) return;
  const which = outcome.failed.id === outcome.id ? outcome.failed.id : `${outcome.failed.id} (${relation} ${outcome.id})`;
  output.line(`still failing ${which}: ${outcome.failed.error}`);
}
