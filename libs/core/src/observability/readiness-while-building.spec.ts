import { Module, type DynamicModule } from '@nestjs/common';
import { createStrataApp } from '../bootstrap/create-strata-app';
import { EventStore } from '../event-store/event-store';
import type { RecordedEvent } from '../events/event';
import { StrataModule } from '../module/strata.module';
import type { ProjectionContext, ProjectionHandler } from '../projections/projection-handler';
import { Projection } from '../projections/projection.decorator';
import { Projections } from '../projections/projections.service';
import { StrataObservabilityModule } from './strata-observability.module';

// A new projection version builds its read model from the start of the log. Until it has
// caught up, the instance answers /health/ready with 503, so a load balancer sends it no
// traffic; STRATA_READY_WHILE_BUILDING=true serves anyway. The handler waits on a gate the test
// opens, so "still building" is a state the test holds, not a race it hopes to win.

let opened: Promise<void> = Promise.resolve();
let open: () => void = () => undefined;

@Projection({ name: 'tally', version: 2, collections: { tallies: {} } })
class TallyV2 implements ProjectionHandler {
  async handle(_event: RecordedEvent, ctx: ProjectionContext): Promise<void> {
    await opened;
    await ctx.collection('tallies').updateOne({ _id: 'all' }, { $inc: { count: 1 } }, { upsert: true });
  }
}

function appModule(env: Record<string, string>): DynamicModule {
  @Module({})
  class ReadinessModule {}
  return {
    module: ReadinessModule,
    imports: [
      StrataModule.forRoot({ eventStore: 'memory', projections: { autoStart: false }, env: { STRATA_PROJECTION_POLL_MS: '20', ...env } }),
      StrataModule.forFeature({ projections: [TallyV2] }),
      StrataObservabilityModule.forRoot({ env }),
    ],
  };
}

async function ready(app: Awaited<ReturnType<typeof createStrataApp>>): Promise<{ status: number; body: { details: Record<string, Record<string, unknown>> } }> {
  const reply = await app.inject({ method: 'GET', url: '/health/ready' });
  return { status: reply.statusCode, body: JSON.parse(reply.body) as { details: Record<string, Record<string, unknown>> } };
}

async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('readiness while a projection version builds its read model', () => {
  beforeEach(() => {
    opened = new Promise((resolve) => (open = resolve));
  });
  afterEach(() => open());

  it.each([
    ['answers 503 naming the version until it has caught up, then 200', {}, 503],
    ['answers 200 meanwhile with STRATA_READY_WHILE_BUILDING=true', { STRATA_READY_WHILE_BUILDING: 'true' }, 200],
  ] as const)('%s', async (_title, env, whileBuilding) => {
    const app = await createStrataApp(appModule(env), { env, logger: { level: 'silent' } });
    try {
      await app.init();
      await app.getHttpAdapter().getInstance().ready();
      // The log holds events before the new version starts: it has something to build.
      await app.get(EventStore).appendToStream('Tally-1', [{ type: 'Counted', data: {} }, { type: 'Counted', data: {} }], { expectedRevision: 'no_stream' });
      app.get(Projections).startAll();

      const building = await ready(app);
      expect(building.status).toBe(whileBuilding);
      expect(building.body.details['projectionVersions']).toMatchObject(
        whileBuilding === 503 ? { status: 'down', building: ['tally v2'] } : { status: 'up' },
      );

      open();
      const current = await eventually(async () => {
        const answer = await ready(app);
        return answer.status === 200 ? answer : undefined;
      });
      expect(current.body.details['projectionVersions']).toMatchObject({ status: 'up' });
    } finally {
      open();
      await app.close();
    }
  });
});
