import type { SagaCommand, SagaCommandTarget } from './saga-messages';

/** The saga commands a `@Saga({ commands })` map builds, inferred from its factories' `data` parameters. */
export type SagaCommandsOf<M> = {
  [K in keyof M & string]: M[K] extends (data: infer D, ...rest: never[]) => unknown ? SagaCommand<K, D extends object ? D : never> : never;
}[keyof M & string];

type Instance<T> = T extends abstract new (...args: never[]) => infer I ? I : never;

/** The event types a saga class takes in, read from its `correlate` parameter. */
export type HandledEventTypes<T> = Instance<T> extends { correlate(event: infer R): unknown } ? (R extends { readonly type: infer K extends string } ? K : never) : never;

/** The commands a saga class's `handle` may return. */
type SentCommands<T> = Instance<T> extends { handle(...args: never[]): infer R } ? (Awaited<R> extends { readonly commands?: readonly (infer C)[] } ? C : never) : never;

/** Command types the class sends without a decider target that the `commands` map `M` does not build. */
type Unbuilt<T, M> =
  Exclude<SentCommands<T>, { readonly to: SagaCommandTarget }> extends infer C ? (C extends { readonly type: infer K extends string } ? (string extends K ? never : K extends keyof M ? never : K) : never) : never;

// Each check is `unknown` when it holds, so `T & check` is T itself; otherwise an object whose
// one key says what is wrong, which the class cannot be assigned to, so tsc reports it at @Saga.
type HandlesCheck<T, H extends string> =
  string extends HandledEventTypes<T>
    ? unknown // a saga typed over any event: nothing to check against
    : [Exclude<H, HandledEventTypes<T>>] extends [never]
      ? unknown
      : { readonly 'handles names event types the saga class does not take in (see its correlate parameter)': Exclude<H, HandledEventTypes<T>> };

type CommandsCheck<T, M> = [Unbuilt<T, M>] extends [never]
  ? unknown
  : { readonly 'the saga sends commands that neither commandFor(decider, …) targets nor @Saga({ commands }) builds': Unbuilt<T, M> };

/** What `@Saga(options)` accepts: a saga class whose event union has every type in `handles`, and whose commands all have a way to the bus. */
export type SagaClassFor<T, H extends string, M> = T & HandlesCheck<T, H> & CommandsCheck<T, M>;
