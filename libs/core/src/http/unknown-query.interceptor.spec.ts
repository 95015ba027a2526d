import { Body, Controller, Get, Injectable, Module, Post, Query, UseGuards, type CanActivate, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsOptional, IsString } from 'class-validator';
import { StrataModule } from '../module/strata.module';
import type { StrataModuleOptions } from '../module/strata-options';
import { PROBLEM_CONTENT_TYPE } from './problem-details';
import { AllowUnknownQueryParameters } from './query-parameters';

class SearchDto {
  @IsOptional()
  @IsString()
  readonly owner?: string;
}

class Refuse implements CanActivate {
  canActivate(): boolean {
    return false;
  }
}

@Injectable()
class Calls {
  readonly handled: string[] = [];
}

@Controller('things')
class ThingsController {
  constructor(private readonly calls: Calls) {}

  @Get('one')
  one(): string {
    this.calls.handled.push('one');
    return 'one';
  }

  @Post()
  create(@Body() _body: object): string {
    this.calls.handled.push('create');
    return 'created';
  }

  @Get('named')
  named(@Query('limit') limit?: string, @Query('cursor') cursor?: string): string {
    return `${limit ?? '-'} ${cursor ?? '-'}`;
  }

  @Get('dto')
  dto(@Query() query: SearchDto): string {
    return query.owner ?? '-';
  }

  @Get('raw')
  raw(@Query() query: Record<string, string>): string {
    return Object.keys(query).join(',');
  }

  @Get('opted-out')
  @AllowUnknownQueryParameters()
  optedOut(): string {
    return 'opted out';
  }

  @Get('guarded')
  @UseGuards(Refuse)
  guarded(): string {
    return 'never';
  }
}

@Controller('open')
@AllowUnknownQueryParameters()
class OpenController {
  @Get()
  open(): string {
    return 'open';
  }
}

@Module({ controllers: [ThingsController, OpenController], providers: [Calls] })
class ThingsModule {}

async function appWith(options: StrataModuleOptions = {}): Promise<NestFastifyApplication> {
  const root: DynamicModule = { module: class Root {}, imports: [StrataModule.forRoot({ eventStore: 'memory', env: {}, ...options }), ThingsModule] };
  const app = await NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { logger: false, abortOnError: false });
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

interface Problem {
  readonly status: number;
  readonly code: string;
  readonly errors: readonly { field: string; message: string }[];
}

describe('unknown query parameters, over HTTP', () => {
  describe('by default', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await appWith();
    });
    afterAll(async () => {
      await app.close();
    });
    const get = (url: string) => app.inject({ method: 'GET', url });

    it('refuses them on an endpoint that declares no query, as a 400 problem+json naming each, before the handler runs', async () => {
      const reply = await get('/things/one?verbose=1&b=2');
      expect(reply.statusCode).toBe(400);
      expect(reply.headers['content-type']).toContain(PROBLEM_CONTENT_TYPE);
      const problem = reply.json<Problem>();
      expect(problem).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect(problem.errors).toEqual([
        { field: 'verbose', message: 'property verbose should not exist' },
        { field: 'b', message: 'property b should not exist' },
      ]);
      expect(app.get(Calls).handled).toEqual([]);
      expect((await get('/things/one')).statusCode).toBe(200);
      expect(app.get(Calls).handled).toEqual(['one']);
    });

    it('refuses them on a command endpoint, which then changes nothing', async () => {
      const calls = app.get(Calls);
      const before = calls.handled.length;
      const reply = await app.inject({ method: 'POST', url: '/things?dryRun=1', payload: '{}', headers: { 'content-type': 'application/json' } });
      expect(reply.statusCode).toBe(400);
      expect(reply.json<Problem>().errors.map((error) => error.field)).toEqual(['dryRun']);
      expect(calls.handled).toHaveLength(before);
    });

    it('accepts the parameters named by @Query(name) and refuses only the others', async () => {
      const fine = await get('/things/named?limit=2&cursor=c');
      expect([fine.statusCode, fine.body]).toEqual([200, '2 c']);
      const reply = await get('/things/named?limit=2&lmit=3');
      expect(reply.statusCode).toBe(400);
      expect(reply.json<Problem>().errors.map((error) => error.field)).toEqual(['lmit']);
    });

    it("leaves a query DTO's parameters to the validation pipe, which names the unknown ones the same way", async () => {
      expect((await get('/things/dto?owner=ada')).body).toBe('ada');
      const reply = await get('/things/dto?owner=ada&ownr=bob');
      expect(reply.statusCode).toBe(400);
      expect(reply.json<Problem>().errors).toEqual([{ field: 'ownr', message: 'property ownr should not exist' }]);
    });

    it('accepts anything on an endpoint that takes the whole query untyped', async () => {
      const reply = await get('/things/raw?a=1&b=2');
      expect([reply.statusCode, reply.body]).toEqual([200, 'a,b']);
    });

    it('accepts anything on an endpoint or a controller that opts out', async () => {
      expect((await get('/things/opted-out?x=1')).statusCode).toBe(200);
      expect((await get('/open?x=1')).statusCode).toBe(200);
    });

    it('answers a guard refusal first, as for an invalid body', async () => {
      expect((await get('/things/guarded?x=1')).statusCode).toBe(403);
    });
  });

  it("accepts unknown parameters everywhere with forRoot({ unknownQueryParameters: 'allow' })", async () => {
    const app = await appWith({ unknownQueryParameters: 'allow' });
    try {
      const reply = await app.inject({ method: 'GET', url: '/things/one?verbose=1' });
      expect([reply.statusCode, reply.body]).toEqual([200, 'one']);
    } finally {
      await app.close();
    }
  });
});
