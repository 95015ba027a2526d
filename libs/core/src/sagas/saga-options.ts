import type { ICommand } from '@nestjs/cqrs';
import type { CommandContext } from '../commands/command-context';

/** Builds the bus command for a saga command's data, with the context the engine derives. */
export type SagaCommandFactory = (data: never, context: CommandContext) => ICommand;

/** What `@Saga` declares. */
export interface SagaOptions {
  /** Stable and unique: it names the checkpoint, lease, instances and the saga's own streams. */
  readonly name: string;
  readonly version: number;
  /** The event types `handle` receives (timeout events it schedules included). */
  readonly handles: readonly string[];
  /** Which of them may start a new instance; others are ignored until an instance exists. */
  readonly startedBy: readonly string[];
  /**
   * How each command type the saga sends becomes a `CommandBus` command. Commands made with
   * `commandFor(decider, id, command)` need no entry: they go to their decider as they are.
   */
  readonly commands?: Readonly<Record<string, SagaCommandFactory>>;
}
