import { existsSync } from 'node:fs';
import { Body, Controller, Module, Post } from '@nestjs/common';
import { IsInt, Min } from 'class-validator';
import { InjectDecider, StrataModule, type AggregateHandle, type Decider, type Event, type StrataModuleOptions } from '@strata/core';
import { sqliteAdapter } from '@strata/sqlite';
import { eventually } from './eventually';
import { ManualClock } from './manual-clock';
import { expectProblem } from './problem-matchers';
import { StrataTestApp } from './strata-test-app';

type Counted = Event<'Counted', { by: number }>;
const counter: Decider<{ by: number }, Counted, number> = {
  category: 'Counter',
  initialState: () => 0,
  evolve: (total, event) => total + event.data.by,
  decide: (command) => [{ type: 'Counted', data: { by: command.by } }],
};

class CountDto {
  @Min(1)
  @IsInt()
  readonly by!: number;
}

@Controller('counters')
class CountersController {
  constructor(@InjectDecider(counter) private readonly counters: AggregateHandle<{ by: number }, Counted, number>) {}

  @Post()
  async count(@Body() body: CountDto): Promise<{ position: string }> {
    return { position: (await this.counters.handle('c1', { by: body.by })).position };
  }
}

const counterModule = (strata: StrataModuleOptions) => ({
  module: class CounterModule {},
  imports: [StrataModule.forRoot({ adapters: [sqliteAdapter()], ...strata }), StrataModule.forFeature({ deciders: [counter] })],
  controllers: [CountersController],
});

describe('StrataTestApp', () => {
  it.each(['memory', 'sqlite'] as const)('boots any module on the %s store, sends commands and reads the events back', async (store) => {
    const app = await StrataTestApp.boot(counterModule, { store });
    try {
      expect((await app.request({ url: '/counters', body: { by: 2 } })).status).toBe(201);
      expectProblem(await app.request({ url: '/counters', body: { by: 0 } }), 400, 'VALIDATION_FAILED');
      expect((await app.streamEvents('Counter-c1')).map((event) => event.data)).toEqual([{ by: 2 }]);
    } finally {
      await app.stop();
    }
  });

  it('removes the temporary SQLite folder when stopped', async () => {
    const app = await StrataTestApp.boot(counterModule, { store: 'sqlite' });
    const dataDir = (app as unknown as { dataDir: string }).dataDir;
    expect(existsSync(dataDir)).toBe(true);
    await app.stop();
    expect(existsSync(dataDir)).toBe(false);
  });

  it('boots a module class as it is', async () => {
    @Module({ imports: [StrataModule.forRoot({ eventStore: 'memory' })] })
    class EmptyModule {}
    const app = await StrataTestApp.boot(EmptyModule);
    try {
      expectProblem(await app.get('/nowhere'), 404);
    } finally {
      await app.stop();
    }
  });
});

describe('eventually and ManualClock', () => {
  it('retries until the check passes, and rethrows its last error after the timeout', async () => {
    let calls = 0;
    await expect(eventually(() => (++calls < 3 ? Promise.reject(new Error('not yet')) : calls))).resolves.toBe(3);
    await expect(eventually(() => Promise.reject(new Error('never')), 50)).rejects.toThrow('never');
  });

  it('moves time only when told, and only forward', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    expect(() => clock.advance(-1)).toThrow(RangeError);
  });
});
