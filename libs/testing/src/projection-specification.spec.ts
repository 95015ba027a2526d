import { Projection, StrataError, type Event, type ProjectionContext, type ProjectionHandler, type Recorded } from '@strata/core';
import { positionFromSequence } from '@strata/core/adapter';
import { ProjectionSpecification, recordGivenEvents } from '@strata/testing';
import { failureOf } from './specification-failure';

// A shop's baskets: small enough to read, with every outcome a projection spec can meet.
type ItemAdded = Event<'ItemAdded', { basketId: string; item: string; price: number }>;
type ItemRemoved = Event<'ItemRemoved', { basketId: string; item: string }>;
type BasketAbandoned = Event<'BasketAbandoned', { basketId: string }>;
type BasketEvent = ItemAdded | ItemRemoved | BasketAbandoned;
type RecordedBasketEvent = Recorded<BasketEvent>;

interface BasketDocument {
  _id: string;
  items: string[];
  revision: number;
}

class BasketGoneError extends Error {
  constructor(readonly basketId: string) {
    super(`Basket ${basketId} has been abandoned.`);
    this.name = 'BasketGoneError';
  }
}

/** Correct: idempotent by stream revision; writes a basket and, for each item added, a sale at a currency. */
@Projection({
  name: 'baskets',
  version: 1,
  events: ['ItemAdded', 'ItemRemoved'],
  collections: { baskets: {}, sales: { indexes: [{ keys: { basketId: 1 } }] } },
})
class BasketsProjection implements ProjectionHandler<BasketEvent> {
  constructor(private readonly currency = 'EUR') {}

  async handle(event: RecordedBasketEvent, ctx: ProjectionContext): Promise<void> {
    const baskets = ctx.collection<BasketDocument>('baskets');
    const current = await baskets.findOne({ _id: event.data.basketId });
    const revision = Number(event.revision);
    if (current && revision <= current.revision) return;
    const items = current?.items ?? [];
    switch (event.type) {
      case 'ItemAdded':
        await ctx.collection('sales').replaceOne(
          { _id: event.position },
          { basketId: event.data.basketId, price: `${event.data.price} ${this.currency}`, at: event.createdAt.toISOString() },
          { upsert: true },
        );
        return void (await baskets.replaceOne({ _id: event.data.basketId }, { items: [...items, event.data.item], revision }, { upsert: true }));
      case 'ItemRemoved':
        return void (await baskets.replaceOne({ _id: event.data.basketId }, { items: items.filter((i) => i !== event.data.item), revision }));
      case 'BasketAbandoned':
        throw new Error('BasketAbandoned is not among the declared events, so it never arrives.');
    }
  }
}

/** Wrong: counts with $inc and no guard, so a redelivered event counts twice. */
@Projection({ name: 'item-counts', version: 1, collections: { item_counts: {} } })
class NaiveCountsProjection implements ProjectionHandler<BasketEvent> {
  async handle(event: RecordedBasketEvent, ctx: ProjectionContext): Promise<void> {
    if (event.type !== 'ItemAdded') return;
    await ctx.collection('item_counts').updateOne({ _id: event.data.basketId }, { $inc: { count: 1 } }, { upsert: true });
  }
}

/** Wrong: inserts, so the second delivery of an event fails on the duplicate `_id`. */
@Projection({ name: 'item-log', version: 1, collections: { item_log: {} } })
class InsertingProjection implements ProjectionHandler<BasketEvent> {
  async handle(event: RecordedBasketEvent, ctx: ProjectionContext): Promise<void> {
    await ctx.collection('item_log').insertOne({ _id: event.id, type: event.type });
  }
}

/** Wrong: writes to a collection it does not declare. */
@Projection({ name: 'sloppy', version: 1, collections: { baskets: {} } })
class SloppyProjection implements ProjectionHandler<BasketEvent> {
  async handle(event: RecordedBasketEvent, ctx: ProjectionContext): Promise<void> {
    await ctx.collection('elsewhere').insertOne({ _id: event.id });
  }
}

/** Refuses events for an abandoned basket. */
@Projection({ name: 'strict', version: 1, collections: { baskets: {} } })
class StrictProjection implements ProjectionHandler<BasketEvent> {
  async handle(event: RecordedBasketEvent, ctx: ProjectionContext): Promise<void> {
    const baskets = ctx.collection('baskets');
    if (event.type === 'BasketAbandoned') return void (await baskets.insertOne({ _id: event.data.basketId }));
    if (await baskets.findOne({ _id: event.data.basketId })) throw new BasketGoneError(event.data.basketId);
  }
}

/** Wrong: mutates the event it is handed. */
@Projection({ name: 'mutating', version: 1, collections: { baskets: {} } })
class MutatingProjection implements ProjectionHandler<BasketEvent> {
  async handle(event: RecordedBasketEvent): Promise<void> {
    event.data.basketId = 'changed';
  }
}

const stream = 'Basket-b1';
const added = (item: string, price = 5): ItemAdded => ({ type: 'ItemAdded', data: { basketId: 'b1', item, price } });
const removed = (item: string): ItemRemoved => ({ type: 'ItemRemoved', data: { basketId: 'b1', item } });
const inStream = <E extends BasketEvent>(event: E) => ({ ...event, streamId: stream });

const spec = ProjectionSpecification.for(BasketsProjection);

describe('ProjectionSpecification', () => {
  describe('then', () => {
    it('passes when the collection holds exactly the expected documents', async () => {
      await spec.given([inStream(added('apple')), inStream(added('pear')), inStream(removed('apple'))]).then('baskets', [
        { _id: 'b1', items: ['pear'], revision: 2 },
      ]);
    });

    it('compares documents in _id order, whatever order they are listed in', async () => {
      await spec
        .given([inStream(added('apple')), { ...added('fig'), data: { basketId: 'a0', item: 'fig', price: 1 }, streamId: 'Basket-a0' }])
        .then('baskets', [
          { _id: 'b1', items: ['apple'], revision: 0 },
          { _id: 'a0', items: ['fig'], revision: 0 },
        ]);
    });

    it('fills in positions, dates and per-stream revisions deterministically', async () => {
      const other: ItemAdded = { type: 'ItemAdded', data: { basketId: 'b2', item: 'fig', price: 3 } };
      await spec.given([inStream(added('apple')), { ...other, streamId: 'Basket-b2' }, inStream(added('kiwi', 7))]).thenCollections({
        baskets: [
          { _id: 'b1', items: ['apple', 'kiwi'], revision: 1 },
          { _id: 'b2', items: ['fig'], revision: 0 },
        ],
        sales: [
          { _id: positionFromSequence(1), basketId: 'b1', price: '5 EUR', at: '2026-01-01T00:00:00.000Z' },
          { _id: positionFromSequence(2), basketId: 'b2', price: '3 EUR', at: '2026-01-01T00:00:01.000Z' },
          { _id: positionFromSequence(3), basketId: 'b1', price: '7 EUR', at: '2026-01-01T00:00:02.000Z' },
        ],
      });
    });

    it('keeps recorded fields that are given', async () => {
      await spec
        .given([{ ...added('apple'), streamId: stream, revision: 4n, position: positionFromSequence(40), createdAt: new Date('2030-05-01T00:00:00Z') }])
        .thenCollections({
          baskets: [{ _id: 'b1', items: ['apple'], revision: 4 }],
          sales: [{ _id: positionFromSequence(40), basketId: 'b1', price: '5 EUR', at: '2030-05-01T00:00:00.000Z' }],
        });
    });

    it('passes constructor arguments to the projection', async () => {
      await ProjectionSpecification.for(BasketsProjection, 'USD')
        .given([added('apple')])
        .then('sales', [{ _id: positionFromSequence(1), basketId: 'b1', price: '5 USD', at: '2026-01-01T00:00:00.000Z' }]);
    });

    it('skips event types the projection does not declare', async () => {
      await spec.given([inStream(added('apple')), inStream({ type: 'BasketAbandoned', data: { basketId: 'b1' } })]).then('baskets', [
        { _id: 'b1', items: ['apple'], revision: 0 },
      ]);
    });

    it('fails with a diff of the expected and the actual documents', async () => {
      const failure = await failureOf(() => spec.given([inStream(added('apple'))]).then('baskets', [{ _id: 'b1', items: ['pear'], revision: 0 }]));

      expect(failure.message).toContain("Projection 'baskets' wrote other documents to 'baskets' than expected (1 document, 1 expected; both sorted by _id).");
      expect(failure.message).toContain('- Expected documents');
      expect(failure.message).toContain('+ Actual documents');
      expect(failure.message).toMatch(/^- +"pear",$/m);
      expect(failure.message).toMatch(/^\+ +"apple",$/m);
      expect(failure.expected).toEqual({ baskets: [{ _id: 'b1', items: ['pear'], revision: 0 }] });
      expect(failure.actual).toMatchObject({ baskets: [{ _id: 'b1', items: ['apple'], revision: 0 }] });
    });

    it('fails when a document is missing or extra', async () => {
      const given = spec.given([inStream(added('apple'))]);
      await failureOf(() => given.then('baskets', []));
      await failureOf(() => given.then('baskets', [{ _id: 'b1', items: ['apple'], revision: 0 }, { _id: 'b2', items: [], revision: 0 }]));
    });

    it('reports every collection that differs', async () => {
      const failure = await failureOf(() => spec.given([inStream(added('apple'))]).thenCollections({ baskets: [], sales: [] }));

      expect(failure.message).toContain("wrote other documents to 'baskets'");
      expect(failure.message).toContain("wrote other documents to 'sales'");
    });

    it('fails, naming the event, when handle throws instead', async () => {
      const strict = ProjectionSpecification.for(StrictProjection);
      const failure = await failureOf(() =>
        strict.given([{ type: 'BasketAbandoned', data: { basketId: 'b1' } }, added('apple')]).then('baskets', []),
      );

      expect(failure.message).toContain(
        "Projection 'strict' was expected to apply 2 given events, but handle threw BasketGoneError: Basket b1 has been abandoned. " +
          "on given event #2 (ItemAdded, stream 'test-1', revision 1, position 0000000000000002).",
      );
      expect(failure.cause).toBeInstanceOf(BasketGoneError);
    });

    it('refuses a collection the projection does not declare', async () => {
      const failure = await failureOf(() => spec.given([]).then('basket', []));

      expect(failure.message).toContain("Projection 'baskets' does not declare a collection 'basket'");
      expect(failure.message).toContain("It declares 'baskets', 'sales'");
    });

    it('fails when the handler writes to a collection it does not declare', async () => {
      const failure = await failureOf(() => ProjectionSpecification.for(SloppyProjection).given([added('apple')]).then('baskets', []));

      expect(failure.message).toContain("handle threw StrataError [UNDECLARED_COLLECTION]: Projection 'sloppy' wrote to 'elsewhere'");
    });

    it('fails when the handler mutates the event', async () => {
      const failure = await failureOf(() => ProjectionSpecification.for(MutatingProjection).given([added('apple')]).then('baskets', []));

      expect(failure.message).toContain('handle threw TypeError');
    });

    it('refuses given positions that do not increase', async () => {
      const failure = await failureOf(async () =>
        spec.given([{ ...added('a'), position: positionFromSequence(5) }, { ...added('b'), position: positionFromSequence(5) }]).then('baskets', []),
      );

      expect(failure.message).toContain('Given event #2 (ItemAdded, id 00000000-0000-4000-8000-000000000002) is at position');
      expect(failure.message).toContain('Positions must increase');
    });

    it('redelivers an event given again as recorded, at its own position', async () => {
      const [apple, pear] = recordGivenEvents([inStream(added('apple')), inStream(added('pear'))]);
      if (!apple || !pear) throw new Error('two events were recorded');

      await spec.given([apple, pear, apple, pear]).then('baskets', [{ _id: 'b1', items: ['apple', 'pear'], revision: 1 }]);
      const failure = await failureOf(() => spec.given([apple, { ...apple, position: positionFromSequence(9) }]).then('baskets', []));
      expect(failure.message).toContain('but the same id was given at');
    });

    it('tells a test that awaits the given step to await an assertion', async () => {
      const step = spec.given([]) as unknown as PromiseLike<void>;
      await expect(Promise.resolve(step)).rejects.toThrow('A projection specification step was awaited.');
    });
  });

  describe('deliveredTwice', () => {
    it('passes for a projection that skips an event it has applied', async () => {
      await spec
        .given([inStream(added('apple')), inStream(added('pear')), inStream(removed('apple'))])
        .deliveredTwice()
        .thenCollections({
          baskets: [{ _id: 'b1', items: ['pear'], revision: 2 }],
          sales: [
            { _id: positionFromSequence(1), basketId: 'b1', price: '5 EUR', at: '2026-01-01T00:00:00.000Z' },
            { _id: positionFromSequence(2), basketId: 'b1', price: '5 EUR', at: '2026-01-01T00:00:01.000Z' },
          ],
        });
    });

    it('catches a projection that counts a redelivered event again', async () => {
      const counts = ProjectionSpecification.for(NaiveCountsProjection).given([added('apple'), added('pear')]);
      await counts.then('item_counts', [{ _id: 'b1', count: 2 }]);

      const failure = await failureOf(() => counts.deliveredTwice().then('item_counts', [{ _id: 'b1', count: 2 }]));

      expect(failure.message).toContain(
        "Projection 'item-counts' is not idempotent: delivering each event twice wrote other documents than delivering it once.",
      );
      expect(failure.message).toContain('- Delivered once');
      expect(failure.message).toContain('+ Delivered twice');
      expect(failure.message).toMatch(/^- +"count": 2,$/m);
      expect(failure.message).toMatch(/^\+ +"count": 4,$/m);
    });

    it('catches a projection that fails on a redelivered event', async () => {
      const failure = await failureOf(() =>
        ProjectionSpecification.for(InsertingProjection).given([added('apple')]).deliveredTwice().then('item_log', [
          { _id: '00000000-0000-4000-8000-000000000001', type: 'ItemAdded' },
        ]),
      );

      expect(failure.message).toContain("Projection 'item-log' is not idempotent: handle threw DuplicateKeyError");
      expect(failure.message).toContain('on the second delivery of given event #1 (ItemAdded');
    });

    it('reports wrong documents as such, before idempotence', async () => {
      const failure = await failureOf(() => spec.given([added('apple')]).deliveredTwice().then('baskets', []));

      expect(failure.message).toContain("wrote other documents to 'baskets' than expected");
    });
  });

  describe('thenThrows', () => {
    const strict = ProjectionSpecification.for(StrictProjection);
    const abandonedThenAdded = strict.given([{ type: 'BasketAbandoned', data: { basketId: 'b1' } }, added('apple')]);

    it('passes when handle throws the error class and the check holds', async () => {
      await abandonedThenAdded.thenThrows(BasketGoneError);
      await abandonedThenAdded.thenThrows(BasketGoneError, (error) => error.basketId === 'b1');
      await abandonedThenAdded.thenThrows((error) => error instanceof BasketGoneError);
    });

    it('matches a write to an undeclared collection by its code', async () => {
      await ProjectionSpecification.for(SloppyProjection)
        .given([added('apple')])
        .thenThrows(StrataError, (error) => expect(error.code).toBe('UNDECLARED_COLLECTION'));
    });

    it('fails when handle applies every event', async () => {
      const failure = await failureOf(() => strict.given([added('apple')]).thenThrows(BasketGoneError));

      expect(failure.message).toContain("Projection 'strict' was expected to throw BasketGoneError, but handle applied 1 given event without throwing.");
    });

    it('fails when handle throws another error, naming the event', async () => {
      const failure = await failureOf(() => abandonedThenAdded.thenThrows(RangeError));

      expect(failure.message).toContain(
        "was expected to throw RangeError, but handle threw BasketGoneError: Basket b1 has been abandoned. on given event #2 (ItemAdded",
      );
    });

    it('fails when the check rejects the error', async () => {
      const failure = await failureOf(() => abandonedThenAdded.thenThrows(BasketGoneError, (error) => error.basketId === 'b2'));

      expect(failure.message).toContain('but the check on that error returned false.');
    });
  });

  it('types the given events from the handler', () => {
    // Never called: the compiler is the one under test here.
    const typedOnly = (): unknown => [
      // @ts-expect-error 'ItemSold' is no basket event
      spec.given([{ type: 'ItemSold', data: { basketId: 'b1' } }]),
      // @ts-expect-error price must be a number
      spec.given([{ type: 'ItemAdded', data: { basketId: 'b1', item: 'x', price: '1' } }]),
      // @ts-expect-error revisions are bigints
      spec.given([{ ...added('x'), revision: 1 }]),
    ];
    expect(typedOnly).toEqual(expect.any(Function));
  });
});
