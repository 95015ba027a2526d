import type { AnyDecider, CommandOf } from '../decider/decider-types';
import { StrataError } from '../errors/strata-error';
import type { SagaCommand, SagaCommandTarget } from './saga-messages';

type WithoutType<C> = C extends { readonly type: string } ? { [K in keyof C as K extends 'type' ? never : K]: C[K] } : never;

/** The saga command `commandFor(decider, id, command)` makes: one per member of the decider's command union. */
export type DeciderSagaCommand<D> =
  CommandOf<D> extends infer C ? (C extends { readonly type: infer T extends string } ? SagaCommand<T, WithoutType<C>> & { readonly to: SagaCommandTarget } : never) : never;

/**
 * A saga command that runs a decider's command on entity `id`: the engine dispatches it as a
 * `DecideCommand`, so it needs no entry in `@Saga({ commands })`. It is stored as plain JSON
 * (`{ type, data, to: { decider, id } }`), `data` being the command without its `type`.
 */
export function commandFor<D extends AnyDecider>(decider: D, id: string, command: CommandOf<D> & { readonly type: string }): DeciderSagaCommand<D> {
  const { type, ...data } = command;
  return { type, data, to: { decider: decider.category, id } } as unknown as DeciderSagaCommand<D>;
}

/** The command as the outbox stores it; a `to` that is not a decider and a non-empty id is the saga's bug, named. */
export function storedSagaCommand(saga: string, command: SagaCommand, hasFactory: boolean): SagaCommand {
  const { type, data, to } = command;
  if (to === undefined) {
    if (!hasFactory) {
      throw new StrataError(
        'UNKNOWN_SAGA_COMMAND',
        `Saga '${saga}' sent a ${type} command, which its commands map does not build. Build it with commandFor(decider, id, command), or add it to @Saga({ commands }).`,
      );
    }
    return { type, data };
  }
  if (typeof to !== 'object' || to === null || typeof to.decider !== 'string' || to.decider === '' || typeof to.id !== 'string' || to.id === '') {
    throw new StrataError('INVALID_SAGA_COMMAND', `Saga '${saga}' sent a ${type} command whose target ${JSON.stringify(to)} is not { decider, id } with non-empty strings; build it with commandFor(decider, id, command).`);
  }
  return { type, data, to: { decider: to.decider, id: to.id } };
}
