// npm run bench [-- --quick] [-- --only appends,http]
// Runs each figure in its own process, prints a table and writes bench/results/latest.json.
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ROWS_MARKER, type BenchRow } from './harness';
import { FIGURES } from './figures';

const USAGE = 'usage: npm run bench [-- --quick] [-- --only <figure,...>]';

function options(): { quick: boolean; only: string[] } {
  try {
    const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, only: { type: 'string' }, help: { type: 'boolean', default: false } } });
    if (values.help) {
      console.log(`${USAGE}\nfigures: ${FIGURES.map((figure) => `${figure.id} (${figure.title})`).join(', ')}`);
      process.exit(0);
    }
    const only = values.only === undefined ? FIGURES.map((figure) => figure.id) : values.only.split(',').map((id) => id.trim());
    const unknown = only.filter((id) => !FIGURES.some((figure) => figure.id === id));
    if (unknown.length > 0) throw new Error(`unknown figure ${unknown.join(', ')}; known: ${FIGURES.map((figure) => figure.id).join(', ')}`);
    return { quick: values.quick ?? false, only };
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
}

function runFigure(id: string, quick: boolean): Promise<BenchRow[]> {
  return new Promise((resolve, reject) => {
    const args = ['-r', 'ts-node/register', join(__dirname, 'child.ts'), id, ...(quick ? ['--quick'] : [])];
    const child = spawn(process.execPath, ['--expose-gc', ...args], { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, NODE_ENV: 'production' } });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.split('\n').find((text) => text.startsWith(ROWS_MARKER));
      if (code !== 0 || line === undefined) return reject(new Error(`figure '${id}' failed (exit ${code ?? 'signal'})`));
      resolve(JSON.parse(line.slice(ROWS_MARKER.length)) as BenchRow[]);
    });
  });
}

function table(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => [
    row.name,
    `${row.value} ${row.unit}`,
    row.baseline === null ? '-' : `${row.baseline} ${row.unit}`,
    row.ratio === null ? '-' : `${row.ratio}x`,
    row.target,
    row.met === null ? '' : row.met ? 'met' : 'MISSED',
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target', ''];
  const widths = header.map((title, column) => Math.max(title.length, ...cells.map((cell) => (cell[column] as string).length)));
  const line = (cell: readonly string[]) => cell.map((text, column) => text.padEnd(widths[column] as number)).join('  ').trimEnd();
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...cells.map(line)].join('\n');
}

async function main(): Promise<void> {
  const { quick, only } = options();
  const started = performance.now();
  const rows: BenchRow[] = [];
  const failed: string[] = [];
  for (const id of only) {
    const figure = FIGURES.find((candidate) => candidate.id === id);
    console.error(`\n== ${id}: ${figure?.title ?? ''}${quick ? ' (quick)' : ''}`);
    try {
      const figureRows = await runFigure(id, quick);
      rows.push(...figureRows);
      console.error(table(figureRows));
    } catch (error) {
      failed.push(id);
      console.error(error instanceof Error ? error.message : String(error));
    }
  }
  const results = join(__dirname, 'results');
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, 'latest.json'), `${JSON.stringify(rows, null, 2)}\n`);
  console.log(`\n${table(rows)}\n`);
  const missed = rows.filter((row) => row.met === false).length;
  const met = rows.filter((row) => row.met === true).length;
  console.log(`${met} targets met, ${missed} missed${failed.length ? `, figures failed: ${failed.join(', ')}` : ''}; ${Math.round((performance.now() - started) / 1000)} s; written to bench/results/latest.json`);
  if (failed.length > 0) process.exitCode = 1;
}

void main();
