import { readFileSync, writeFileSync } from 'node:fs';
import Database from 'better-sqlite3';

/** Overwrites the header of a leaf page of the events table, in the middle of the table, with garbage; returns the page number. */
export function damageEventsLeafPage(file: string): number {
  const db = new Database(file, { readonly: true });
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const leaves = db.prepare("SELECT pageno FROM dbstat WHERE name = 'strata_events' AND pagetype = 'leaf' ORDER BY pageno").pluck().all() as number[];
  db.close();
  const page = leaves[Math.floor(leaves.length / 2)];
  if (page === undefined || leaves.length < 3) throw new Error(`the events table has only ${leaves.length} leaf pages; write more events first`);
  const bytes = readFileSync(file);
  bytes.fill(0xa5, (page - 1) * pageSize, (page - 1) * pageSize + 16);
  writeFileSync(file, bytes);
  return page;
}
