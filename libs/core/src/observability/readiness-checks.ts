import { Inject, Injectable } from '@nestjs/common';
import { HealthIndicatorService, type HealthIndicatorResult } from '@nestjs/terminus';
import { DocumentStore } from '../documents/document-store';
import { EventStore } from '../event-store/event-store';
import { positionFromSequence } from '../event-store/position';
import { Draining } from '../lifecycle/draining';
import { Projections } from '../projections/projections.service';
import type { ReadinessSettings } from './readiness-settings';
import { StorageHealth } from './storage-health';
import { SubscriptionLags } from './subscription-lags';

export const READINESS_SETTINGS = Symbol('STRATA_READINESS_SETTINGS');

/** The checkpoint readiness reads, and writes while storage is failing; no subscription uses it. */
const HEALTH_CHECKPOINT = 'strata:health';

/** How long a store may take to answer a probe before it counts as unreachable. */
const PROBE_TIMEOUT_MS = 2_000;

/** The checks behind `/health/ready`, each a terminus indicator. */
@Injectable()
export class ReadinessChecks {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly lags: SubscriptionLags,
    private readonly draining: Draining,
    private readonly storageHealth: StorageHealth,
    private readonly projections: Projections,
    @Inject(READINESS_SETTINGS) private readonly settings: ReadinessSettings,
  ) {}

  /** Down while a graceful shutdown drains the app. */
  async accepting(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('accepting');
    return this.draining.draining ? check.down({ message: 'The app is shutting down.' }) : check.up();
  }

  async eventStore(): Promise<HealthIndicatorResult> {
    return this.probe('eventStore', () => this.events.headPosition());
  }

  async readStore(): Promise<HealthIndicatorResult> {
    return this.probe('readStore', () => this.documents.getCheckpoint(HEALTH_CHECKPOINT));
  }

  /**
   * Down while writes fail for want of storage. While down, each probe tries one small write (a
   * checkpoint of its own), so an instance that receives no traffic still sees space come back.
   */
  async storage(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('storage');
    const fault = this.storageHealth.fault;
    if (fault === null) return check.up();
    const written = await this.probe('storage', async () => {
      const head = await this.events.headPosition();
      await this.documents.transaction((tx) => tx.setCheckpoint(HEALTH_CHECKPOINT, head ?? positionFromSequence(0)));
    });
    if (written.storage?.status !== 'up') return check.down({ message: `Writes fail: ${fault}` });
    this.storageHealth.recovered();
    return check.up();
  }

  /**
   * Down while a projection version of this code has not yet reached the head of the log since
   * the process started (a new version building its own read model), so a load balancer routes
   * to it only once its read model is current; `STRATA_READY_WHILE_BUILDING=true` serves anyway.
   */
  async projectionVersions(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('projectionVersions');
    if (this.settings.readyWhileBuilding) return check.up();
    let building;
    try {
      building = await this.projections.building();
    } catch (error) {
      return check.down({ message: `The projections' checkpoints could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
    if (building.length === 0) return check.up();
    const named = building.map((projection) => `${projection.name} v${projection.version}`);
    return check.down({ building: named, message: `Still building from the start of the log: ${named.join(', ')}. Set STRATA_READY_WHILE_BUILDING=true to serve meanwhile.` });
  }

  /**
   * Down when any projection, saga or inbox is further behind than the configured bounds, or
   * their state cannot be read. The integration publisher's lag is shown but never counts: a
   * broker outage must not stop this service from taking commands, and the publisher catches
   * up once the broker is back.
   */
  async subscriptions(): Promise<HealthIndicatorResult> {
    const check = this.indicators.check('subscriptions');
    const { maxLagEvents, maxLagSeconds } = this.settings;
    let lags;
    try {
      lags = await this.lags.read();
    } catch (error) {
      // A damaged or unreadable store is a 503 with the reason, never a 500 from the probe itself.
      return check.down({ message: `The subscriptions' state could not be read: ${error instanceof Error ? error.message : String(error)}` });
    }
    // A version still building counts in `projectionVersions`; serving while it builds means its lag may not count here either.
    const building = this.settings.readyWhileBuilding ? new Set((await this.projections.building()).map((projection) => projection.name)) : new Set<string>();
    const behind = lags.filter((lag) => lag.kind !== 'publisher' && !(lag.kind === 'projection' && building.has(lag.name)) && ((lag.events !== null && lag.events > maxLagEvents) || lag.seconds > maxLagSeconds));
    const details = Object.fromEntries(lags.map((lag) => [`${lag.kind}:${lag.name}`, { state: lag.state, lagEvents: lag.events, lagSeconds: Math.round(lag.seconds * 1000) / 1000 }]));
    if (behind.length === 0) return check.up(details);
    return check.down({ ...details, message: `Behind by more than ${maxLagEvents} events or ${maxLagSeconds} s: ${behind.map((lag) => lag.name).join(', ')}.` });
  }

  private async probe(key: string, read: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const check = this.indicators.check(key);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${PROBE_TIMEOUT_MS} ms`)), PROBE_TIMEOUT_MS);
    });
    try {
      await Promise.race([read(), timeout]);
      return check.up();
    } catch (error) {
      return check.down({ message: error instanceof Error ? error.message : String(error) });
    } finally {
      clearTimeout(timer);
    }
  }
}
