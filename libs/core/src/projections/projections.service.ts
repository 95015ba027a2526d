import { Inject, Injectable, Logger, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { DocumentStore } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import type { Position } from '../event-store/position';
import { STRATA_OPTIONS, type StrataModuleOptions } from '../module/strata-options';
import { ParkedEventActions } from './parked-event-actions';
import { newLeaseOwner } from './projection-lease';
import { describeProjectionVersions, type ProjectionOverview } from './projection-overview';
import { retireProjectionVersion, type RetireResult } from './projection-retirement';
import { ProjectionReplay, type ReplayResult, type ReplayRunOptions } from './projection-replay';
import { assertReadCollectionsDeclared } from '../read-models/reads-collections-check';
import { projectionOptionsOf } from './projection.decorator';
import type { ProjectionHandler } from './projection-handler';
import { ProjectionRunner, type RegisteredProjection } from './projection-runner';
import { resolveProjectionSettings, type ProjectionSettings } from './projection-settings';
import type { ProjectionStatus } from './projection-status';

/** Which projections had not reached a position when the wait ended. */
export interface WaitOutcome {
  readonly reached: boolean;
  readonly behind: readonly string[];
}

/**
 * Every projection the app registered, with its runner: started when the app boots (unless
 * `projections.autoStart` is false), stopped at a committed checkpoint when it shuts down.
 */
@Injectable()
export class Projections implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, ProjectionRunner>();
  /** Subscriptions run by others on the projection runner (sagas), whose parked events are operated here too. */
  private readonly others: RegisteredProjection[] = [];
  /** Each declared collection's physical name in this code's version of its projection. */
  private readonly physical = new Map<string, string>();
  private readonly logger = new Logger('Projections');
  readonly settings: ProjectionSettings;
  readonly owner = newLeaseOwner();

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    @Inject(STRATA_OPTIONS) options: StrataModuleOptions,
  ) {
    this.settings = resolveProjectionSettings(options.env ?? process.env, options.projections);
  }

  onModuleInit(): void {
    const collections = new Map<string, string>();
    for (const wrapper of this.discovery.getProviders()) {
      const options = wrapper.metatype ? projectionOptionsOf(wrapper.metatype) : undefined;
      if (!options || !wrapper.instance) continue;
      if (this.runners.has(options.name)) {
        throw new StrataError('DUPLICATE_PROJECTION', `Two projections are named '${options.name}'; each needs its own name.`);
      }
      for (const collection of Object.keys(options.collections)) {
        const owner = collections.get(collection);
        if (owner !== undefined) {
          throw new StrataError(
            'DUPLICATE_PROJECTION',
            `Projections '${owner}' and '${options.name}' both declare collection '${collection}'; a collection has one writer.`,
          );
        }
        collections.set(collection, options.name);
      }
      const projection: RegisteredProjection = { handler: wrapper.instance as ProjectionHandler<never>, options };
      const runner = new ProjectionRunner(projection, this.events, this.documents, this.settings, this.owner, this.logger);
      this.runners.set(options.name, runner);
      for (const collection of Object.keys(options.collections)) this.physical.set(collection, runner.physicalName(collection));
    }
    assertReadCollectionsDeclared(this.discovery, new Set(collections.keys()));
  }

  onApplicationBootstrap(): void {
    if (this.settings.autoStart) this.startAll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }

  /** The registered projection names, sorted. */
  get names(): string[] {
    return [...this.runners.keys()].sort();
  }

  /** The runner of one projection; an unknown name is an error that lists the known ones. */
  runner(name: string): ProjectionRunner {
    const runner = this.runners.get(name);
    if (!runner) {
      throw new StrataError('UNKNOWN_PROJECTION', `There is no projection '${name}'. Known projections: ${this.names.join(', ') || 'none'}.`);
    }
    return runner;
  }

  startAll(): void {
    for (const runner of this.runners.values()) runner.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
  }

  async list(): Promise<ProjectionStatus[]> {
    return Promise.all(this.names.map((name) => this.runner(name).status()));
  }

  /** Every version of every projection as the store shows it to any process: what `projections list` prints. */
  async overview(): Promise<ProjectionOverview[]> {
    const head = await this.events.headPosition();
    const versions = await Promise.all(this.names.map((name) => describeProjectionVersions(this.runner(name).options, this.events, this.documents, head)));
    return versions.flat();
  }

  /** Drops one version's read model and checkpoint; refused while a live process serves that version. */
  async retire(name: string, version: number): Promise<RetireResult> {
    return retireProjectionVersion(this.runner(name).options, version, this.documents, this.owner, this.settings.leaseTtlMs);
  }

  /** Where this code's version of the projection declaring `collection` keeps it; any other name is itself. */
  physicalName(collection: string): string {
    return this.physical.get(collection) ?? collection;
  }

  /** The projections of this process whose version has not reached the head of the log yet. */
  async building(): Promise<{ readonly name: string; readonly version: number }[]> {
    const runners = [...this.runners.values()];
    const caughtUp = await Promise.all(runners.map((runner) => runner.caughtUp()));
    return runners.filter((_, at) => !caughtUp[at]).map((runner) => ({ name: runner.name, version: runner.options.version }));
  }

  /**
   * Rebuilds one projection from the start of the log in shadow collections and swaps it in;
   * the process running it (this one or another) yields, then resumes from the new checkpoint.
   */
  async replay(name: string, options: ReplayRunOptions = {}): Promise<ReplayResult> {
    const { projection } = this.runner(name);
    return new ProjectionReplay(projection, this.events, this.documents, this.settings, this.owner, { logger: this.logger, ...options }).run();
  }

  /** Retry and skip for parked events of these projections and of the subscriptions registered with `operateParked`. */
  parkedEvents(): ParkedEventActions {
    const projections = [...this.names.map((name) => this.runner(name).projection), ...this.others];
    return new ParkedEventActions(projections, this.events, this.documents, this.owner, this.settings.leaseTtlMs);
  }

  /** Lets `parkedEvents()` retry and skip the parked events of a subscription that is not a projection (a saga's). */
  operateParked(subscription: RegisteredProjection): void {
    this.others.push(subscription);
  }

  /** The projections that write any of `collections`; all of them when none are named. */
  writersOf(collections?: readonly string[]): ProjectionRunner[] {
    const runners = [...this.runners.values()];
    if (collections === undefined) return runners;
    return runners.filter((runner) => collections.some((collection) => Object.hasOwn(runner.options.collections, collection)));
  }

  /** Waits until the projections writing `collections` have committed `position`, at most `timeoutMs`. */
  async waitFor(position: Position, collections: readonly string[] | undefined, timeoutMs: number): Promise<WaitOutcome> {
    const deadline = Date.now() + timeoutMs;
    const runners = this.writersOf(collections);
    const reached = await Promise.all(runners.map((runner) => runner.waitFor(position, deadline)));
    const behind = runners.filter((_, at) => !reached[at]).map((runner) => runner.name);
    return { reached: behind.length === 0, behind };
  }
}
