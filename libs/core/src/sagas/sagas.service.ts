import { Inject, Injectable, Logger, Optional, type BeforeApplicationShutdown, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { DocumentStore } from '../documents/document-store';
import { StrataError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import { ProjectionRunner } from '../projections/projection-runner';
import { Projections } from '../projections/projections.service';
import type { ProjectionStatus } from '../projections/projection-status';
import { Clock } from './clock';
import { instanceKey, SAGA_INSTANCES, type SagaInstanceDocument } from './saga-documents';
import { SagaDispatcher } from './saga-dispatcher';
import type { SagaHandler } from './saga-handler';
import { sagaOptionsOf } from './saga.decorator';
import type { SagaOptions } from './saga-options';
import { SagaScheduler } from './saga-scheduler';
import { sagaSubscription } from './saga-subscription';
import { STRATA_OPTIONS, type StrataModuleOptions } from '../module/strata-options';

/** How many instances of a saga are in each state. */
export interface SagaSummary {
  readonly name: string;
  readonly version: number;
  readonly active: number;
  readonly done: number;
  readonly subscription: ProjectionStatus;
}

/**
 * Every registered saga: its subscription (a runner with lease and checkpoint), plus one
 * outbox dispatcher and one deadline scheduler for all sagas, each under its own lease.
 */
@Injectable()
export class Sagas implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly runners = new Map<string, ProjectionRunner>();
  private readonly options = new Map<string, SagaOptions>();
  private readonly logger = new Logger('Sagas');
  private dispatcher: SagaDispatcher | null = null;
  private scheduler: SagaScheduler | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly events: EventStore,
    private readonly documents: DocumentStore,
    private readonly projections: Projections,
    private readonly clock: Clock,
    @Inject(STRATA_OPTIONS) private readonly moduleOptions: StrataModuleOptions,
    @Optional() private readonly commandBus?: CommandBus,
  ) {}

  onModuleInit(): void {
    const settings = this.projections.settings;
    for (const wrapper of this.discovery.getProviders()) {
      const options = wrapper.metatype ? sagaOptionsOf(wrapper.metatype) : undefined;
      if (!options || !wrapper.instance) continue;
      if (this.options.has(options.name)) throw new StrataError('DUPLICATE_SAGA', `Two sagas are named '${options.name}'; each needs its own name.`);
      this.options.set(options.name, options);
      const subscription = sagaSubscription(options, wrapper.instance as SagaHandler<unknown, never>, this.clock);
      this.runners.set(options.name, new ProjectionRunner(subscription, this.events, this.documents, settings, this.projections.owner, this.logger));
      // `parked retry` and `parked skip` apply a saga's parked sequences through its subscription.
      this.projections.operateParked(subscription);
    }
    if (this.options.size === 0) return;
    if (!this.commandBus) {
      throw new StrataError('CQRS_MODULE_MISSING', 'Sagas dispatch through the CommandBus: import CqrsModule.forRoot() in the app module.');
    }
    const dispatchSettings = { ...settings, concurrency: this.moduleOptions.sagas?.dispatchConcurrency ?? 8 };
    this.dispatcher = new SagaDispatcher(this.documents, this.events, this.commandBus, this.options, this.clock, dispatchSettings, this.projections.owner, this.logger);
    this.scheduler = new SagaScheduler(this.documents, this.events, this.clock, settings, this.projections.owner, this.logger, () => this.dispatcher?.wake());
    for (const runner of this.runners.values()) runner.onCommitted(() => this.dispatcher?.wake());
  }

  onApplicationBootstrap(): void {
    if (this.projections.settings.autoStart) this.startAll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stopAll();
  }

  get names(): string[] {
    return [...this.options.keys()].sort();
  }

  startAll(): void {
    for (const runner of this.runners.values()) runner.start();
    this.dispatcher?.start();
    this.scheduler?.start();
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.runners.values()].map((runner) => runner.stop()));
    await Promise.all([this.dispatcher?.stop(), this.scheduler?.stop()]);
  }

  /** Makes due deadlines fire now rather than at the next poll (after a virtual clock moved, say). */
  wake(): void {
    this.scheduler?.wake();
    this.dispatcher?.wake();
  }

  /** Instance counts and subscription status per saga. */
  async list(): Promise<SagaSummary[]> {
    const instances = this.documents.collection<SagaInstanceDocument>(SAGA_INSTANCES);
    return Promise.all(
      this.names.map(async (name) => {
        const options = this.options.get(name) as SagaOptions;
        const [active, done, subscription] = await Promise.all([
          instances.countDocuments({ saga: name, status: 'active' }),
          instances.countDocuments({ saga: name, status: 'done' }),
          (this.runners.get(name) as ProjectionRunner).status(),
        ]);
        return { name, version: options.version, active, done, subscription };
      }),
    );
  }

  /** One saga instance as stored, or null. */
  async instance(saga: string, instanceId: string): Promise<SagaInstanceDocument | null> {
    return this.documents.collection<SagaInstanceDocument>(SAGA_INSTANCES).findOne({ _id: instanceKey(saga, instanceId) });
  }
}
