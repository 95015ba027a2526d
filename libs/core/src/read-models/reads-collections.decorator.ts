import { SetMetadata } from '@nestjs/common';

export const READS_COLLECTIONS = 'strata:reads-collections';

/**
 * Names the collections a query endpoint reads. A request carrying `X-Strata-Position` waits
 * until the projections writing these collections have reached that position; without this
 * decorator it waits for every projection.
 */
export const ReadsCollections = (...collections: string[]): MethodDecorator & ClassDecorator =>
  SetMetadata(READS_COLLECTIONS, collections);
