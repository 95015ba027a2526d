import { Inject } from '@nestjs/common';

/**
 * The injection token of a decider's `AggregateHandle`. Nest prints it when nothing provides it,
 * so it says how to provide it.
 */
export function getDeciderToken(decider: { readonly category: string }): string {
  return `strata:decider:${decider.category} (the '${decider.category}' decider: add it to StrataModule.forFeature({ deciders: [...] }) in the imports of the module that injects it)`;
}

/** Injects the `AggregateHandle` of a decider registered with `StrataModule.forFeature`. */
export const InjectDecider = (decider: { readonly category: string }): ParameterDecorator => Inject(getDeciderToken(decider));
