import { isDeepStrictEqual } from 'node:util';
import { StrataError } from '../errors/strata-error';

/**
 * A decider's opt-in to snapshots (`Decider.snapshot`): its state is stored every `every`
 * events, so a load reads the snapshot and the events after it instead of the whole stream.
 */
export interface SnapshotPolicy<State> {
  /** Take a snapshot once this many events have been appended since the last one (a positive whole number). */
  readonly every: number;
  /** Bump it whenever the state's shape or `evolve` changes meaning: snapshots of another version are ignored. */
  readonly version: number;
  /** The state as a JSON value. Without it the state itself is stored, and must survive a JSON round trip unchanged. */
  serialize?(state: State): unknown;
  /** The state back from what `serialize` gave. Throw on a value it does not know: the stream is then read in full. */
  deserialize?(value: unknown): State;
}

/** A decider's snapshot policy, checked, with the JSON defaults filled in. */
export interface ResolvedSnapshotPolicy<State> {
  readonly every: number;
  readonly version: number;
  serialize(state: State): unknown;
  deserialize(value: unknown): State;
}

/** The decider's snapshot policy, or undefined when it does not snapshot; throws on a malformed one. */
export function snapshotPolicyOf<State>(decider: {
  readonly category: string;
  readonly snapshot?: SnapshotPolicy<State>;
}): ResolvedSnapshotPolicy<State> | undefined {
  const policy = decider.snapshot;
  if (policy === undefined) return undefined;
  if (!Number.isSafeInteger(policy.every) || policy.every < 1) {
    throw invalidPolicy(decider.category, `snapshot.every is ${String(policy.every)}; use a whole number of events, at least 1 (100 is a good start)`);
  }
  if (!Number.isSafeInteger(policy.version) || policy.version < 0) {
    throw invalidPolicy(decider.category, `snapshot.version is ${String(policy.version)}; use a whole number, 0 or more, and bump it when the state changes`);
  }
  return {
    every: policy.every,
    version: policy.version,
    serialize: (state) => (policy.serialize ? policy.serialize(state) : state),
    deserialize: (value) => (policy.deserialize ? policy.deserialize(value) : (value as State)),
  };
}

/**
 * The state as the JSON value to store. A value that would come back different from a JSON
 * round trip (a Date, a bigint, a Map, a class instance, NaN, undefined) is refused, because
 * loading it would quietly give another state than folding the events.
 */
export function toSnapshotState<State>(policy: ResolvedSnapshotPolicy<State>, state: State, category: string): unknown {
  const value = policy.serialize(state);
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw notJson(category, error instanceof Error ? error.message : String(error));
  }
  const back: unknown = json === undefined ? undefined : JSON.parse(json);
  if (json === undefined || !isDeepStrictEqual(back, value)) {
    throw notJson(category, 'it does not come back the same from JSON (a Date, Map, Set, class instance, NaN or undefined inside it?)');
  }
  return back;
}

function invalidPolicy(category: string, reason: string): StrataError {
  return new StrataError('INVALID_SNAPSHOT_POLICY', `The '${category}' decider's ${reason}.`);
}

function notJson(category: string, reason: string): StrataError {
  return new StrataError(
    'SNAPSHOT_NOT_JSON',
    `The '${category}' state cannot be snapshotted as JSON: ${reason}. Give the decider's snapshot a serialize/deserialize pair that maps it to plain JSON.`,
  );
}
