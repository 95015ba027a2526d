import { Body, Controller, Injectable, Logger, Module, Post } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsInt, Min } from 'class-validator';
import type { AggregateHandle } from '../commands/aggregate-handle';
import type { Decider } from '../decider/decider';
import { DomainError } from '../errors/strata-error';
import { EventStore } from '../event-store/event-store';
import type { Event } from '../events/event';
import { InjectDecider, StrataModule } from '../module/strata.module';
import { configureStrataHttp } from './configure-strata-http';
import { PROBLEM_CONTENT_TYPE } from './problem-details';

type Counted = Event<'Counted', { by: number }>;
class TooMuchError extends DomainError {
  constructor(by: number) {
    super('TOO_MUCH', `${by} is more than a counter takes at once. Count by at most 10.`);
  }
}
const counter: Decider<{ by: number }, Counted, number> = {
  category: 'Counter',
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command) => {
    if (command.by > 10) throw new TooMuchError(command.by);
    return [{ type: 'Counted', data: { by: command.by } }];
  },
};

class CountDto {
  @Min(1)
  @IsInt()
  readonly by!: number;
}

@Injectable()
class Calls {
  count = 0;
}

@Controller('counters')
class CountersController {
  constructor(
    @InjectDecider(counter) private readonly counters: AggregateHandle<{ by: number }, Counted, number>,
    private readonly calls: Calls,
  ) {}

  @Post()
  async count(@Body() body: CountDto): Promise<{ revision: string }> {
    this.calls.count++;
    const result = await this.counters.handle('c1', { by: body.by });
    return { revision: String(result.revision) };
  }
}

@Module({
  imports: [StrataModule.forRoot({ eventStore: 'memory', env: {} }), StrataModule.forFeature({ deciders: [counter] })],
  controllers: [CountersController],
  providers: [Calls],
})
class PlainModule {}

/** An app made the way Nest's own docs make one: no Strata bootstrap, no configureStrataHttp. */
async function plainApp(configure = false): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(PlainModule, new FastifyAdapter(), { logger: false, abortOnError: false });
  if (configure) configureStrataHttp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

const post = (app: NestFastifyApplication, body: object) =>
  app.inject({ method: 'POST', url: '/counters', payload: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

async function eventsIn(app: NestFastifyApplication): Promise<number> {
  const page = await app.get(EventStore).readAll({ maxCount: 100 });
  return page.events.length;
}

describe('StrataModule.forRoot in an app created with plain NestFactory.create', () => {
  let app: NestFastifyApplication | undefined;
  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  it.each([false, true])('refuses an invalid body with a 400 before the handler runs, and appends nothing (configureStrataHttp called: %s)', async (configure) => {
    app = await plainApp(configure);
    for (const body of [{ by: 'three' }, { by: 0 }, {}, { by: 1, extra: true }]) {
      const reply = await post(app, body);
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(reply.json()).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    }
    expect(app.get(Calls).count).toBe(0);
    expect(await eventsIn(app)).toBe(0);
  });

  it('answers a DomainError as a 422 problem+json, never a 500', async () => {
    app = await plainApp();
    const reply = await post(app, { by: 11 });
    expect(reply.statusCode).toBe(422);
    expect(reply.headers['content-type']).toMatch(new RegExp(`^${PROBLEM_CONTENT_TYPE.replace('+', '\\+')}`));
    expect(reply.json()).toMatchObject({ status: 422, code: 'TOO_MUCH' });
    expect(reply.json<{ detail: string }>().detail).toContain('Count by at most 10');
    expect(await eventsIn(app)).toBe(0);
  });

  it('runs the handler for a valid body, once', async () => {
    app = await plainApp();
    const reply = await post(app, { by: 3 });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toEqual({ revision: '0' });
    expect(app.get(Calls).count).toBe(1);
    expect(await eventsIn(app)).toBe(1);
  });
});
