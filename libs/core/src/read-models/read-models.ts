import { Injectable } from '@nestjs/common';
import { DocumentStore } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';
import { Projections } from '../projections/projections.service';
import type { ReadonlyCollection } from './readonly-collection';

/**
 * Read-only access to projected collections, for query handlers. A collection a projection
 * declares is read where this code's version of that projection keeps it, so each version
 * of the app serves its own read model.
 */
@Injectable()
export class ReadModels {
  constructor(
    private readonly store: DocumentStore,
    private readonly projections: Projections,
  ) {}

  collection<T extends BaseDocument = AnyDocument>(name: string): ReadonlyCollection<T> {
    const collection = this.store.collection<T>(this.projections.physicalName(name));
    return {
      findOne: (filter, options) => collection.findOne(filter, options),
      find: (filter, options) => collection.find(filter, options),
      countDocuments: (filter) => collection.countDocuments(filter),
    };
  }
}
