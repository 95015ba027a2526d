import type { Names } from './names';

/** One file to write: its name in the feature folder, and its text. */
export interface GeneratedFile {
  readonly file: string;
  readonly text: string;
}

/** A decider with two commands and its specification. */
export function deciderFiles({ kebab, pascal, camel }: Names): GeneratedFile[] {
  const decider = `import { DomainError, type Decider, type Event } from '@strata/core';

export type ${pascal}Created = Event<'${pascal}Created', { ${camel}Id: string; name: string }>;
export type ${pascal}Archived = Event<'${pascal}Archived', { ${camel}Id: string }>;
/** Everything that can happen to a ${kebab}. */
export type ${pascal}Event = ${pascal}Created | ${pascal}Archived;

export type ${pascal}Command =
  | { readonly type: 'Create${pascal}'; readonly ${camel}Id: string; readonly name: string }
  | { readonly type: 'Archive${pascal}'; readonly ${camel}Id: string };

export interface ${pascal}State {
  readonly status: 'none' | 'active' | 'archived';
}

/** The ${kebab} exists already. */
export class ${pascal}ExistsError extends DomainError {
  constructor(id: string) {
    super('${kebab.toUpperCase().replace(/-/g, '_')}_EXISTS', \`${pascal} '\${id}' exists already; create it under a new id.\`);
  }
}

/** A ${kebab}: created once, archived once. */
export const ${camel}Decider: Decider<${pascal}Command, ${pascal}Event, ${pascal}State> = {
  category: '${pascal}',
  initialState: () => ({ status: 'none' }),
  evolve(_state, event) {
    switch (event.type) {
      case '${pascal}Created':
        return { status: 'active' };
      case '${pascal}Archived':
        return { status: 'archived' };
    }
  },
  decide(command, state) {
    const { ${camel}Id } = command;
    switch (command.type) {
      case 'Create${pascal}':
        if (state.status !== 'none') throw new ${pascal}ExistsError(${camel}Id);
        return [{ type: '${pascal}Created', data: { ${camel}Id, name: command.name } }];
      case 'Archive${pascal}':
        // Archiving twice changes nothing, so a saga may send it again safely.
        return state.status === 'active' ? [{ type: '${pascal}Archived', data: { ${camel}Id } }] : [];
    }
  },
};
`;
  const spec = `import { DeciderSpecification } from '@strata/testing';
import { ${pascal}ExistsError, ${camel}Decider, type ${pascal}Archived, type ${pascal}Created } from './${kebab}.decider';

const ${camel}Id = '${kebab}-1';
const created: ${pascal}Created = { type: '${pascal}Created', data: { ${camel}Id, name: 'first' } };
const archived: ${pascal}Archived = { type: '${pascal}Archived', data: { ${camel}Id } };
const spec = DeciderSpecification.for(${camel}Decider);

describe('${camel}Decider', () => {
  it('creates a ${kebab}', () => {
    spec.given([]).when({ type: 'Create${pascal}', ${camel}Id, name: 'first' }).then([created]);
  });

  it('refuses to create it twice', () => {
    spec.given([created]).when({ type: 'Create${pascal}', ${camel}Id, name: 'again' }).thenThrows(${pascal}ExistsError);
  });

  it('archives it once', () => {
    spec.given([created]).when({ type: 'Archive${pascal}', ${camel}Id }).then([archived]);
    spec.given([created, archived]).when({ type: 'Archive${pascal}', ${camel}Id }).then([]);
  });
});
`;
  return [
    { file: `${kebab}.decider.ts`, text: decider },
    { file: `${kebab}.decider.spec.ts`, text: spec },
  ];
}

/** A projection of the decider's events into one collection, and its specification. */
export function projectionFiles({ kebab, pascal, camel }: Names): GeneratedFile[] {
  const projection = `import { Projection, type ProjectionContext, type ProjectionHandler, type Recorded } from '@strata/core';
import type { ${pascal}Event } from './${kebab}.decider';

/** One ${kebab} as queries read it. */
export interface ${pascal}Document {
  readonly _id: string;
  readonly name: string;
  readonly archived: boolean;
}

/** Keeps the '${kebab}s' collection: one document per ${kebab}. */
@Projection({ name: '${kebab}s', version: 1, events: ['${pascal}Created', '${pascal}Archived'], collections: { '${kebab}s': {} } })
export class ${pascal}sProjection implements ProjectionHandler<${pascal}Event> {
  async handle(event: Recorded<${pascal}Event>, ctx: ProjectionContext): Promise<void> {
    const documents = ctx.collection<${pascal}Document>('${kebab}s');
    const _id = event.data.${camel}Id;
    switch (event.type) {
      case '${pascal}Created':
        // A replace is the same on redelivery.
        await documents.replaceOne({ _id }, { _id, name: event.data.name, archived: false }, { upsert: true });
        return;
      case '${pascal}Archived':
        await documents.updateOne({ _id }, { $set: { archived: true } });
        return;
    }
  }
}
`;
  const spec = `import { ProjectionSpecification } from '@strata/testing';
import type { ${pascal}Archived, ${pascal}Created } from './${kebab}.decider';
import { ${pascal}sProjection } from './${kebab}s.projection';

const created: ${pascal}Created = { type: '${pascal}Created', data: { ${camel}Id: 'a', name: 'first' } };
const archived: ${pascal}Archived = { type: '${pascal}Archived', data: { ${camel}Id: 'a' } };
const spec = ProjectionSpecification.for(${pascal}sProjection);

describe('${pascal}sProjection', () => {
  it('keeps one document per ${kebab}, the same when events come twice', async () => {
    await spec.given([created, archived]).deliveredTwice().then('${kebab}s', [{ _id: 'a', name: 'first', archived: true }]);
  });
});
`;
  return [
    { file: `${kebab}s.projection.ts`, text: projection },
    { file: `${kebab}s.projection.spec.ts`, text: spec },
  ];
}

/** A saga that archives an entity a day after it was created, and its specification. */
export function sagaFiles({ kebab, pascal, camel }: Names): GeneratedFile[] {
  const saga = `import { commandFor, Saga, type DeciderSagaCommand, type Event, type RecordedEvent, type SagaHandler, type SagaMessage, type SagaReaction } from '@strata/core';
import { ${camel}Decider, type ${pascal}Archived, type ${pascal}Created } from './${kebab}.decider';

/** The saga's deadline, delivered on its own stream. */
export type ${pascal}Expired = Event<'${pascal}Expired', { ${camel}Id: string }>;
type ${pascal}ExpiryEvent = ${pascal}Created | ${pascal}Archived | ${pascal}Expired;
type ${pascal}ExpiryCommand = DeciderSagaCommand<typeof ${camel}Decider>;

/** How long a ${kebab} lives before the saga archives it. */
export const ${pascal.toUpperCase()}_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Archives each ${kebab} a day after it was created, unless it was archived before. */
@Saga({ name: '${kebab}-expiry', version: 1, handles: ['${pascal}Created', '${pascal}Archived', '${pascal}Expired'], startedBy: ['${pascal}Created'] })
export class ${pascal}ExpirySaga implements SagaHandler<Record<string, never>, ${pascal}ExpiryEvent, ${pascal}ExpiryCommand> {
  correlate(event: RecordedEvent<${pascal}ExpiryEvent>): string | null {
    return event.data.${camel}Id;
  }

  initialState(): Record<string, never> {
    return {};
  }

  handle(state: Record<string, never>, event: SagaMessage<${pascal}ExpiryEvent>): SagaReaction<Record<string, never>, ${pascal}ExpiryCommand> {
    switch (event.type) {
      case '${pascal}Created': {
        const { ${camel}Id } = event.data;
        return { state, schedule: [{ key: 'expiry', after: ${pascal.toUpperCase()}_LIFETIME_MS, event: { type: '${pascal}Expired', data: { ${camel}Id } } }] };
      }
      case '${pascal}Expired':
        return { state, commands: [commandFor(${camel}Decider, event.data.${camel}Id, { type: 'Archive${pascal}', ${camel}Id: event.data.${camel}Id })] };
      case '${pascal}Archived':
        return { state, done: true };
      case 'SagaCommandFailed':
        return { state, done: true };
    }
  }
}
`;
  const spec = `import { SagaSpecification, timeElapsed } from '@strata/testing';
import type { ${pascal}Archived, ${pascal}Created } from './${kebab}.decider';
import { ${pascal.toUpperCase()}_LIFETIME_MS, ${pascal}ExpirySaga } from './${kebab}-expiry.saga';

const ${camel}Id = '${kebab}-1';
const created: ${pascal}Created = { type: '${pascal}Created', data: { ${camel}Id, name: 'first' } };
const archived: ${pascal}Archived = { type: '${pascal}Archived', data: { ${camel}Id } };
const spec = SagaSpecification.for(${pascal}ExpirySaga);

describe('${pascal}ExpirySaga', () => {
  it('sets a deadline when a ${kebab} is created', async () => {
    await spec.given([]).when(created).thenSchedules([{ key: 'expiry', after: ${pascal.toUpperCase()}_LIFETIME_MS, event: { type: '${pascal}Expired', data: { ${camel}Id } } }]);
  });

  it('archives the ${kebab} when the deadline passes', async () => {
    const archive = { type: 'Archive${pascal}', data: { ${camel}Id }, to: { decider: '${pascal}', id: ${camel}Id } };
    await spec.given([created]).whenTimeElapses(${pascal.toUpperCase()}_LIFETIME_MS).thenDispatches([archive]);
  });

  it('finishes once the ${kebab} is archived, before or after the deadline', async () => {
    await spec.given([created]).when(archived).thenDone();
    await spec.given([created, timeElapsed(${pascal.toUpperCase()}_LIFETIME_MS)]).when(archived).thenDone();
  });
});
`;
  return [
    { file: `${kebab}-expiry.saga.ts`, text: saga },
    { file: `${kebab}-expiry.saga.spec.ts`, text: spec },
  ];
}

/** A feature module with the markers the generator wires new pieces in at. */
export function moduleFile(feature: Names): GeneratedFile {
  const text = `import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
// strata:imports

/** The ${feature.kebab} feature. \`npm run generate\` adds deciders, projections and sagas at the markers. */
@Module({
  imports: [
    StrataModule.forFeature({
      deciders: [/* strata:deciders */],
      projections: [/* strata:projections */],
      sagas: [/* strata:sagas */],
    }),
  ],
})
export class ${feature.pascal}Module {}
`;
  return { file: `${feature.kebab}.module.ts`, text };
}
