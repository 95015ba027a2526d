import { createHash } from 'node:crypto';

/** The partition of an ordering key: the same key always lands in the same one. */
export function partitionOf(key: string, partitions: number): string {
  const bucket = createHash('sha1').update(key).digest().readUInt32BE(0) % partitions;
  return `p${String(bucket).padStart(String(partitions - 1).length, '0')}`;
}
