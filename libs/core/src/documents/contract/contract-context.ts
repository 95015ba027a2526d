import { StrataError } from '../../errors/strata-error';
import type { DocumentStore } from '../document-store';
import type { BaseDocument } from '../document-types';

/** What each section of the document store contract gets: the store of the current test. */
export interface ContractContext {
  readonly store: () => DocumentStore;
}

/** Awaits a rejection and checks it is a StrataError with `code` whose message names each fragment. */
export async function expectStrataError(promise: Promise<unknown>, code: string, ...fragments: string[]): Promise<StrataError> {
  const outcome = await promise.then(
    (value: unknown) => ({ value }),
    (error: unknown) => ({ error }),
  );
  if (!('error' in outcome)) throw new Error(`Expected a ${code} StrataError, but the call succeeded with ${JSON.stringify(outcome.value)}`);
  const { error } = outcome;
  if (!StrataError.isStrataError(error)) throw new Error(`Expected a ${code} StrataError, got ${String(error)}`);
  expect(error.code).toBe(code);
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

/** The `_id`s of documents, in order. */
export function ids(documents: readonly BaseDocument[]): string[] {
  return documents.map((document) => document._id);
}

/** A person, the document shape the query and update sections share. */
export interface Person extends BaseDocument {
  name: string;
  age?: number | null;
  address?: { city: string; zip?: string };
  tags?: string[];
  scores?: number[];
  items?: { sku: string; qty: number }[];
  active?: boolean;
}

/** Five people covering nested documents, arrays of scalars and of documents, null and missing fields. */
export const PEOPLE: readonly Person[] = [
  {
    _id: 'p1',
    name: 'Ada',
    age: 36,
    address: { city: 'London', zip: 'N1' },
    tags: ['math', 'poetry'],
    scores: [90, 72],
    items: [
      { sku: 'a', qty: 1 },
      { sku: 'b', qty: 5 },
    ],
    active: true,
  },
  { _id: 'p2', name: 'Grace', age: 45, address: { city: 'New York' }, tags: ['navy', 'math'], scores: [85], items: [{ sku: 'b', qty: 2 }], active: false },
  { _id: 'p3', name: 'Alan', age: 41, address: { city: 'London' }, tags: ['math'], scores: [], items: [] },
  { _id: 'p4', name: 'Edsger', age: null, address: { city: 'Austin' }, tags: [] },
  { _id: 'p5', name: 'barbara' },
];

/** Inserts PEOPLE in a scrambled order, so `_id` ordering is not insertion order. */
export async function insertPeople(store: DocumentStore, name = 'people'): Promise<void> {
  const collection = store.collection<Person>(name);
  for (const index of [3, 0, 4, 2, 1]) {
    const person = PEOPLE[index];
    if (person) await collection.insertOne(structuredClone(person));
  }
}
