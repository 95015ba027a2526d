import type { DocumentStore, DocumentTransaction } from '../documents/document-store';

/** The system collection recording which version of each projection built its read model. */
export const PROJECTIONS_COLLECTION = 'strata_projections';

/** The version of a projection's code that built the stored read model. */
export interface ProjectionVersionDocument {
  /** The projection's name. */
  readonly _id: string;
  readonly version: number;
  readonly recordedAt: string;
}

/**
 * The read models' recorded versions. A read model without one that has a checkpoint was
 * built before versions were recorded, by version 1 (`effectiveVersion`).
 */
export class ProjectionVersions {
  constructor(private readonly store: DocumentStore) {}

  /** Records `version` as the one that built `name`'s read model, inside the unit of work that commits it. */
  static async record(tx: DocumentTransaction, name: string, version: number): Promise<void> {
    await tx
      .collection<ProjectionVersionDocument>(PROJECTIONS_COLLECTION)
      .replaceOne({ _id: name }, { version, recordedAt: new Date().toISOString() }, { upsert: true });
  }

  /** The recorded version, or null when none was recorded. */
  async recorded(name: string): Promise<number | null> {
    const document = await this.store.collection<ProjectionVersionDocument>(PROJECTIONS_COLLECTION).findOne({ _id: name });
    return document?.version ?? null;
  }
}

/** The version that built a read model: the recorded one, else 1 when it has a checkpoint, else null (nothing built yet). */
export function effectiveVersion(recorded: number | null, hasCheckpoint: boolean): number | null {
  return recorded ?? (hasCheckpoint ? 1 : null);
}
