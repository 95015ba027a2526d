import type { DocumentStore, DocumentTransaction } from '../documents/document-store';
import type { ProjectionOptions } from './projection-options';
import { projectionCheckpointName } from './registered-projection';

/** The system collection recording which versions of each projection have a read model in the store. */
export const PROJECTIONS_COLLECTION = 'strata_projections';

/** One version of a projection with a read model in the store. */
export interface ProjectionVersionDocument {
  /** `<name>@v<version>` */
  readonly _id: string;
  readonly projection: string;
  readonly version: number;
  /** The declared collections of that version, so a process running other code can drop them (`projections retire`). */
  readonly collections: readonly string[];
  readonly recordedAt: string;
}

/** The key of one version of a projection in `PROJECTIONS_COLLECTION`. */
export function versionKey(name: string, version: number): string {
  return `${name}@v${version}`;
}

/**
 * The versions of each projection present in the store. A read model built before versions
 * were recorded this way (its checkpoint has the unversioned name) is version 1, with the
 * collections the code declares.
 */
export class ProjectionVersions {
  constructor(private readonly store: DocumentStore) {}

  /** Records that `options.version` has a read model, inside the unit of work that commits it. */
  static async record(tx: DocumentTransaction, options: ProjectionOptions): Promise<void> {
    await tx
      .collection<ProjectionVersionDocument>(PROJECTIONS_COLLECTION)
      .replaceOne(
        { _id: versionKey(options.name, options.version) },
        { projection: options.name, version: options.version, collections: Object.keys(options.collections), recordedAt: new Date().toISOString() },
        { upsert: true },
      );
  }

  /** The recorded version, or null when none was recorded. */
  async find(name: string, version: number): Promise<ProjectionVersionDocument | null> {
    return this.store.collection<ProjectionVersionDocument>(PROJECTIONS_COLLECTION).findOne({ _id: versionKey(name, version) });
  }

  /** Every version of `options.name` present, sorted; `options` stands in for a version 1 built before versions were recorded. */
  async present(options: ProjectionOptions): Promise<ProjectionVersionDocument[]> {
    const recorded = await this.store.collection<ProjectionVersionDocument>(PROJECTIONS_COLLECTION).find({ projection: options.name }, { sort: { version: 1 } });
    if (recorded.some((document) => document.version === 1)) return recorded;
    if ((await this.store.getCheckpoint(projectionCheckpointName(options.name, 1))) === null) return recorded;
    const adopted: ProjectionVersionDocument = { _id: versionKey(options.name, 1), projection: options.name, version: 1, collections: Object.keys(options.collections), recordedAt: '' };
    return [adopted, ...recorded];
  }

  /** Forgets a version; false when it was not recorded. */
  async remove(name: string, version: number): Promise<boolean> {
    return (await this.store.collection(PROJECTIONS_COLLECTION).deleteOne({ _id: versionKey(name, version) })).deletedCount === 1;
  }
}
