import { execFile } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { spawnService, type BankProcess } from '../../apps/bank/test/bank-process';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');

/** The packages the consumer app installs from tarballs, as a team installs them from the registry. */
export const CONSUMED_PACKAGES = ['core', 'sqlite', 'testing'] as const;

// What the app itself brings (Strata's peer dependencies and the compiler), at the versions this repo uses.
const REGISTRY_DEPENDENCIES = [
  '@nestjs/common',
  '@nestjs/core',
  '@nestjs/cqrs',
  '@nestjs/platform-fastify',
  '@nestjs/swagger',
  'class-transformer',
  'class-validator',
  'nestjs-pino',
  'reflect-metadata',
  'rxjs',
];
const REGISTRY_DEV_DEPENDENCIES = ['typescript', '@types/node'];

/** Runs a command to its end; a failure carries what it printed and `advice`. */
export async function step(advice: string, file: string, args: readonly string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run(file, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '', message } = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${advice}\n${message}\n${stdout.slice(-4000)}\n${stderr.slice(-4000)}`);
  }
}

/** `npm pack`s the consumed packages (built by the global setup) into `into`; returns each tarball by package. */
export async function packPackages(into: string): Promise<Record<string, string>> {
  mkdirSync(into, { recursive: true });
  const workspaces = CONSUMED_PACKAGES.flatMap((name) => ['--workspace', `libs/${name}`]);
  const out = await step('npm pack failed for the Strata packages.', 'npm', ['pack', ...workspaces, '--pack-destination', into, '--json'], root);
  const packed = JSON.parse(out) as { name: string; filename: string }[];
  return Object.fromEntries(packed.map(({ name, filename }) => [name, join(into, filename)]));
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

function rootRange(name: string): string {
  const manifest = readJson<{ dependencies: Record<string, string>; devDependencies: Record<string, string> }>(join(root, 'package.json'));
  const range = manifest.dependencies[name] ?? manifest.devDependencies[name];
  if (range === undefined) throw new Error(`the repo's package.json names no version of ${name}; add it there or to the consumer test's list`);
  return range;
}

/** Writes the fixture app (test/consumer/app) into `dir`, depending on `tarballs` and registry packages only. */
export function writeConsumerApp(dir: string, tarballs: Record<string, string>): void {
  cpSync(join(__dirname, 'app'), dir, { recursive: true });
  // Kept under another name in the repo, so editors and eslint check the fixture with the repo's settings.
  renameSync(join(dir, 'app.tsconfig.json'), join(dir, 'tsconfig.json'));
  const manifest = {
    name: 'strata-consumer',
    version: '0.0.0',
    private: true,
    dependencies: {
      ...Object.fromEntries(Object.entries(tarballs).map(([name, file]) => [name, `file:${file}`])),
      ...Object.fromEntries(REGISTRY_DEPENDENCIES.map((name) => [name, rootRange(name)])),
      // The same better-sqlite3 as this repo, so the binding this repo built fits (see installConsumerApp).
      'better-sqlite3': readJson<{ version: string }>(join(root, 'node_modules', 'better-sqlite3', 'package.json')).version,
    },
    devDependencies: Object.fromEntries(REGISTRY_DEV_DEPENDENCIES.map((name) => [name, rootRange(name)])),
  };
  writeFileSync(join(dir, 'package.json'), JSON.stringify(manifest, null, 2));
}

/**
 * `npm install` in the app, from the registry (npm's cache first). Install scripts do not run:
 * the only one, better-sqlite3's, downloads a prebuilt binding from outside the registry, which a
 * CI machine may not reach, and else compiles SQLite for many minutes. The binding this repo built
 * for the same version and the same Node stands in for the prebuilt one a user's install downloads.
 */
export async function installConsumerApp(dir: string, advice: string): Promise<void> {
  await step(advice, 'npm', ['install', '--prefer-offline', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=error'], dir);
  const binding = join('build', 'Release', 'better_sqlite3.node');
  mkdirSync(join(dir, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
  copyFileSync(join(root, 'node_modules', 'better-sqlite3', binding), join(dir, 'node_modules', 'better-sqlite3', binding));
}

/** Starts the compiled app on `port` with its store in `dataDir`. */
export function startConsumerApp(dir: string, port: number, dataDir: string): BankProcess {
  return spawnService(join(dir, 'dist', 'main.js'), dir, port, { NODE_ENV: 'production', STRATA_DATA_DIR: dataDir });
}

/** Stops the app: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopConsumerApp(app: BankProcess | undefined, graceMs = 10_000): Promise<void> {
  if (!app || app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill('SIGTERM');
  const timer = setTimeout(() => app.child.kill('SIGKILL'), graceMs);
  await app.exited;
  clearTimeout(timer);
}
