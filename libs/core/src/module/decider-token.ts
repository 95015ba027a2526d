import { Inject } from '@nestjs/common';

/** The injection token of a decider's `AggregateHandle`. */
export function getDeciderToken(decider: { readonly category: string }): string {
  return `strata:decider:${decider.category}`;
}

/** Injects the `AggregateHandle` of a decider registered with `StrataModule.forFeature`. */
export const InjectDecider = (decider: { readonly category: string }): ParameterDecorator => Inject(getDeciderToken(decider));
