// Runs one figure in this process and prints its rows for bench/run.ts:
//   node -r ts-node/register bench/child.ts <figure-id> [--quick]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROWS_MARKER, type Figure } from './harness';
import { FIGURES } from './figures';

async function main(): Promise<void> {
  const [id, ...flags] = process.argv.slice(2);
  const figure: Figure | undefined = FIGURES.find((candidate) => candidate.id === id);
  if (!figure) throw new Error(`unknown figure '${id ?? ''}'; known: ${FIGURES.map((f) => f.id).join(', ')}`);
  const workDir = mkdtempSync(join(tmpdir(), `strata-bench-${figure.id}-`));
  try {
    const rows = await figure.run({ quick: flags.includes('--quick'), workDir, log: (line) => process.stderr.write(`  ${line}\n`) });
    process.stdout.write(`${ROWS_MARKER}${JSON.stringify(rows)}\n`);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().then(
  // Open handles a figure left (a timer, a socket) must not keep the run waiting.
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
