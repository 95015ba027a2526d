import type { DocumentCollection } from '../documents/document-store';
import type { AnyDocument, BaseDocument } from '../documents/document-types';

/** The reading half of a collection: what query handlers get. */
export type ReadonlyCollection<T extends BaseDocument = AnyDocument> = Pick<
  DocumentCollection<T>,
  'findOne' | 'find' | 'countDocuments'
>;
