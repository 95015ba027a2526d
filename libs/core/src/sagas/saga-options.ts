import type { ICommand } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-context';

/** Builds the bus command for a saga command's data, with the context the engine derives. */
export type SagaCommandFactory = (data: never, context: CommandContext) => ICommand;

/** A saga's `commands` map: command type to the factory of its bus command. */
export type SagaCommandMap = Readonly<Record<string, SagaCommandFactory>>;

/** What `@Saga` declares; `Handles` and `Commands` let the decorator check the class against them at compile time. */
export interface SagaOptions<Handles extends string = string, Commands extends SagaCommandMap = SagaCommandMap> {
  /** Stable and unique: it names the checkpoint, lease, instances and the saga's own streams. */
  readonly name: string;
  readonly version: number;
  /** The event types `handle` receives (timeout events it schedules included). */
  readonly handles: readonly Handles[];
  /** Which of them may start a new instance; others are ignored until an instance exists. */
  readonly startedBy: readonly NoInfer<Handles>[];
  /**
   * How each command type the saga sends becomes a `CommandBus` command. Commands made with
   * `commandFor(decider, id, command)` need no entry: they go to their decider as they are.
   */
  readonly commands?: Commands & SagaCommandMap;
}
