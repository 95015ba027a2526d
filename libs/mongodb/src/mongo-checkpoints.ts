import type { ClientSession, Collection, Db } from 'mongodb';
import { type Position } from '@strata/core';
import { validateCheckpoint } from '@strata/core/adapter';

/** Where checkpoints live: their own collection, one document per subscription. */
export const CHECKPOINTS_COLLECTION = 'strata_checkpoints';

interface CheckpointDocument {
  _id: string;
  position: string;
}

/** Reads and writes checkpoints, inside a unit's session when given one. */
export class MongoCheckpoints {
  private readonly collection: Collection<CheckpointDocument>;

  constructor(db: Db) {
    this.collection = db.collection<CheckpointDocument>(CHECKPOINTS_COLLECTION);
  }

  async get(name: string, session?: ClientSession): Promise<Position | null> {
    const found = await this.collection.findOne({ _id: validateCheckpoint(name) }, { session });
    return (found?.position as Position | undefined) ?? null;
  }

  /** Removes one checkpoint; false when there was none. */
  async delete(name: string): Promise<boolean> {
    const { deletedCount } = await this.collection.deleteOne({ _id: validateCheckpoint(name) });
    return deletedCount === 1;
  }

  /** Writes several checkpoints in one unordered bulk write: they are independent documents. */
  async set(checkpoints: ReadonlyMap<string, Position>, session: ClientSession): Promise<void> {
    if (checkpoints.size === 0) return;
    await this.collection.bulkWrite(
      [...checkpoints].map(([name, position]) => ({ updateOne: { filter: { _id: name }, update: { $set: { position } }, upsert: true } })),
      { ordered: false, session },
    );
  }
}
