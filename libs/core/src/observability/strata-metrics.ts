import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { strataTelemetry, type TelemetrySignal } from './strata-telemetry';
import { SubscriptionLags } from './subscription-lags';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The app's Prometheus metrics, in a registry of its own (so two apps in one process, as in
 * tests, never clash): commands and appends as they happen, lags and parked counts read at
 * each scrape, replay progress as replays report it, and Node's process metrics.
 */
@Injectable()
export class StrataMetrics implements OnModuleInit, OnApplicationShutdown {
  readonly registry = new Registry();
  private readonly commands = new Counter({ name: 'strata_commands_total', help: 'Commands handled, by command type and outcome (ok, repeated, rejected, conflict, error).', labelNames: ['command', 'outcome'], registers: [this.registry] });
  private readonly latency = new Histogram({ name: 'strata_command_duration_seconds', help: 'Time to handle a command, retries included, by command type and outcome.', labelNames: ['command', 'outcome'], buckets: LATENCY_BUCKETS, registers: [this.registry] });
  private readonly appended = new Counter({ name: 'strata_events_appended_total', help: 'Events appended by command handling, by event type.', labelNames: ['event_type'], registers: [this.registry] });
  private readonly lagEvents = new Gauge({ name: 'strata_subscription_lag_events', help: 'Events a subscription has yet to take in: a projection, saga or integration publisher behind the log, or an inbox behind its broker queue.', labelNames: ['kind', 'name'], registers: [this.registry] });
  private readonly lagSeconds = new Gauge({ name: 'strata_subscription_lag_seconds', help: 'Age of the oldest event a subscription has not taken in yet; for an inbox, of the message it applied last while more wait (0 when caught up).', labelNames: ['kind', 'name'], registers: [this.registry] });
  private readonly parked = new Gauge({ name: 'strata_subscription_parked_events', help: 'Events or messages parked after failing every attempt, per subscription.', labelNames: ['kind', 'name'], registers: [this.registry] });
  private readonly replayDone = new Gauge({ name: 'strata_replay_events_done', help: 'Events of the log a projection replay in this process has read.', labelNames: ['projection'], registers: [this.registry] });
  private readonly replayTotal = new Gauge({ name: 'strata_replay_events_total', help: 'Events in the log when a projection replay in this process last reported.', labelNames: ['projection'], registers: [this.registry] });
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly lags: SubscriptionLags) {
    collectDefaultMetrics({ register: this.registry });
  }

  onModuleInit(): void {
    this.unsubscribe = strataTelemetry.subscribe((signal) => this.record(signal));
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }

  /** The exposition text, with lags read now. */
  async scrape(): Promise<string> {
    const lags = await this.lags.read();
    for (const gauge of [this.lagEvents, this.lagSeconds, this.parked]) gauge.reset();
    for (const lag of lags) {
      const labels = { kind: lag.kind, name: lag.name };
      if (lag.events !== null) this.lagEvents.set(labels, lag.events);
      this.lagSeconds.set(labels, lag.seconds);
      this.parked.set(labels, lag.parked);
    }
    return this.registry.metrics();
  }

  private record(signal: TelemetrySignal): void {
    switch (signal.kind) {
      case 'command':
        this.commands.inc({ command: signal.command, outcome: signal.outcome });
        this.latency.observe({ command: signal.command, outcome: signal.outcome }, signal.seconds);
        return;
      case 'appended':
        this.appended.inc({ event_type: signal.eventType }, signal.count);
        return;
      case 'replay':
        this.replayDone.set({ projection: signal.projection }, signal.done);
        if (signal.total !== null) this.replayTotal.set({ projection: signal.projection }, signal.total);
        return;
      case 'storage':
        // Readiness reports storage faults (StorageHealth); they are not a series.
        return;
    }
  }
}
