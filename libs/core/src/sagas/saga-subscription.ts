import type { RecordedEvent } from '../events/event';
import type { ProjectionContext } from '../projections/projection-handler';
import type { RegisteredProjection } from '../projections/projection-runner';
import type { Clock } from './clock';
import { instanceKey, SAGA_DEADLINES, SAGA_INSTANCES, SAGA_OUTBOX, type DeadlineDocument, type OutboxDocument, type SagaInstanceDocument } from './saga-documents';
import type { SagaHandler } from './saga-handler';
import { SAGA_COMMAND_FAILED } from './saga-messages';
import type { SagaOptions } from './saga-options';
import { instanceIdOf, sagaStep } from './saga-step';

/** The checkpoint, lease and parked-event name of a saga's subscription. */
export function sagaSubscriptionName(saga: string): string {
  return `saga:${saga}`;
}

/**
 * A saga as a subscription the projection runner can drive: the same lease, checkpointed
 * batches and retry-then-park, with each event's instance state, outbox commands and
 * deadlines written in the batch's unit of work. Parking is ordered per instance: an instance
 * folds events of several streams, so a parked event holds the instance's later events.
 */
export function sagaSubscription(options: SagaOptions, handler: SagaHandler<unknown, never>, clock: Clock): RegisteredProjection {
  return {
    subscription: sagaSubscriptionName(options.name),
    options: {
      name: options.name,
      version: options.version,
      events: [...options.handles, SAGA_COMMAND_FAILED],
      // An event of no instance (or whose correlation throws) is ordered by its stream.
      partitionKey: (event) => instanceIdOf(options, handler, event) ?? event.streamId,
      collections: {
        [SAGA_INSTANCES]: { indexes: [{ keys: { saga: 1, status: 1 } }] },
        [SAGA_OUTBOX]: { indexes: [{ keys: { nextAttemptAt: 1 } }] },
        [SAGA_DEADLINES]: { indexes: [{ keys: { dueAt: 1 } }] },
      },
    },
    handler: {
      async handle(event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
        const instanceId = instanceIdOf(options, handler, event);
        if (instanceId === null) return;
        const instances = ctx.collection<SagaInstanceDocument>(SAGA_INSTANCES);
        const stored = await instances.findOne({ _id: instanceKey(options.name, instanceId) });
        const step = await sagaStep(options, handler, instanceId, stored, event, clock.now());
        if (!step) return;
        const { _id, ...instance } = step.instance;
        await instances.replaceOne({ _id }, instance, { upsert: true });
        const outbox = ctx.collection<OutboxDocument>(SAGA_OUTBOX);
        for (const { _id: id, ...entry } of step.outbox) await outbox.replaceOne({ _id: id }, entry, { upsert: true });
        const deadlines = ctx.collection<DeadlineDocument>(SAGA_DEADLINES);
        if (step.cancelAll) await deadlines.deleteMany({ saga: options.name, instanceId });
        for (const id of step.cancelled) await deadlines.deleteOne({ _id: id });
        for (const { _id: id, ...deadline } of step.scheduled) await deadlines.replaceOne({ _id: id }, deadline, { upsert: true });
      },
    },
  };
}
