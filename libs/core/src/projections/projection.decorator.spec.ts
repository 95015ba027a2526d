import { StrataError } from '../errors/strata-error';
import { Projection, projectionOptionsOf } from './projection.decorator';

/** The error `@Projection(options)` throws, or undefined when it accepts them. */
function refusal(options: Parameters<typeof Projection>[0]): StrataError | undefined {
  try {
    Projection(options);
    return undefined;
  } catch (error) {
    if (StrataError.isStrataError(error)) return error;
    throw error;
  }
}

describe('@Projection partitionKey', () => {
  it('keeps a key function, so parking orders by it', () => {
    const partitionKey = (event: { data: Record<string, unknown> }) => String(event.data['customerId']);
    @Projection({ name: 'customer-totals', version: 1, collections: { customer_totals: {} }, partitionKey })
    class CustomerTotals {
      handle(): void {}
    }
    expect(projectionOptionsOf(CustomerTotals)?.partitionKey).toBe(partitionKey);
  });

  it('refuses a key that is not a function, naming the option', () => {
    const error = refusal({ name: 'customer-totals', version: 1, collections: { customer_totals: {} }, partitionKey: 'customerId' as never });
    expect(error?.code).toBe('INVALID_PROJECTION');
    expect(error?.message).toContain('partitionKey must be a function of the event');
  });
});
