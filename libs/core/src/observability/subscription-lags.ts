import { Injectable, Optional } from '@nestjs/common';
import { EventStore } from '../event-store/event-store';
import { comparePositions } from '../event-store/position';
import { Projections } from '../projections/projections.service';
import type { ProjectionStatus } from '../projections/projection-status';
import { Sagas } from '../sagas/sagas.service';
import { IntegrationEvents } from '../integration/integration-events.service';

/**
 * How far one subscription is behind: a projection or saga behind the log, the integration
 * publisher behind the log, or an inbox behind its broker queue.
 */
export interface SubscriptionLag {
  readonly kind: 'projection' | 'saga' | 'publisher' | 'inbox';
  readonly name: string;
  readonly state: ProjectionStatus['state'];
  /** Events between its checkpoint and the head; null where the store's positions do not count events. */
  readonly events: number | null;
  /** Age of the oldest event it has not taken in yet; 0 when caught up. */
  readonly seconds: number;
  readonly parked: number;
}

/** Reads the lag of every projection and saga of this app, for health and metrics. */
@Injectable()
export class SubscriptionLags {
  constructor(
    private readonly events: EventStore,
    private readonly projections: Projections,
    private readonly sagas: Sagas,
    @Optional() private readonly integration?: IntegrationEvents,
  ) {}

  async read(now: number = Date.now()): Promise<SubscriptionLag[]> {
    const [projections, sagas] = await Promise.all([this.projections.list(), this.sagas.list()]);
    const statuses = [
      ...projections.map((status) => ({ kind: 'projection' as const, status })),
      ...sagas.map((saga) => ({ kind: 'saga' as const, status: { ...saga.subscription, name: saga.name } })),
    ];
    const lags: SubscriptionLag[] = await Promise.all(
      statuses.map(async ({ kind, status }) => ({
        kind,
        name: status.name,
        state: status.state,
        events: status.lag,
        seconds: await this.secondsBehind(status, now),
        parked: status.parked,
      })),
    );
    return [...lags, ...(await this.integrationLags(now))];
  }

  private async integrationLags(now: number): Promise<SubscriptionLag[]> {
    if (!this.integration) return [];
    const [publisher, inboxes] = await Promise.all([this.integration.publisherStatus(), this.integration.inboxStatuses()]);
    const lags: SubscriptionLag[] = inboxes.map((inbox) => ({
      kind: 'inbox',
      name: inbox.name,
      state: inbox.consuming ? (inbox.pending === 0 ? 'live' : 'catching-up') : 'standby',
      events: inbox.pending,
      // The age of the message applied last, while more wait: how late this service's view runs.
      seconds: inbox.pending === 0 || inbox.lastOccurredAt === null ? 0 : Math.max(0, (now - Date.parse(inbox.lastOccurredAt)) / 1000),
      parked: inbox.parked,
    }));
    if (publisher) {
      const state = publisher.lastError !== null ? 'failing' : !publisher.holdsLease ? 'standby' : publisher.lag === 0 ? 'live' : 'catching-up';
      const status = { ...publisher, version: 1, state, holdsLease: publisher.holdsLease } as const;
      lags.push({ kind: 'publisher', name: publisher.name, state, events: publisher.lag, seconds: await this.secondsBehind(status, now), parked: publisher.parked });
    }
    return lags;
  }

  private async secondsBehind(status: ProjectionStatus, now: number): Promise<number> {
    const { checkpoint, head } = status;
    if (head === null || status.lag === 0 || (checkpoint !== null && comparePositions(checkpoint, head) >= 0)) return 0;
    // fromPosition is inclusive: the checkpoint itself comes first, and the next event is the oldest not taken in.
    const page = await this.events.readAll({ ...(checkpoint === null ? {} : { fromPosition: checkpoint }), maxCount: 2 });
    const next = page.events.find((event) => checkpoint === null || comparePositions(event.position, checkpoint) > 0);
    return next === undefined ? 0 : Math.max(0, (now - next.createdAt.getTime()) / 1000);
  }
}
