import { Inject } from '@nestjs/common';
import { Projections, STRATA_OPTIONS, type DocumentStore, type EventStore, type StrataModuleOptions } from '@strata/core';
import { ProjectionReplay, LEASES_COLLECTION, ProjectionRunner, resolveDocumentStore, resolveEventStore, type RegisteredProjection } from '@strata/core/adapter';
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommandRunner, Option } from 'nest-commander';
import { CommandFailedError, UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';
import { CLI_SETTINGS, type CliSettings } from '../../cli-settings';
import { problemLine, scanLog, scanSummary } from './log-scan';
import { readModelDigest } from './read-model-digest';

interface RestoreOptions {
  readonly into?: string;
  readonly verify?: boolean;
}

/** The embedded store's file name inside a data folder (sqliteAdapter's). */
const STORE_FILE = 'strata.db';

/** How long the backup's read models may take to catch up with its log. */
const CATCH_UP_TIMEOUT_MS = 600_000;

const SILENT = { log: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * `restore <file> --into <dir> [--verify]`: puts a backup into a fresh data folder and checks
 * the log there (checksums, revisions, integrity). With `--verify` it also brings each
 * projection's read model from the backup up to the backup's head, rebuilds every projection
 * from the log in that folder, and compares the two read models' digests. Exits 1 on any
 * difference or damage. The running app's own data folder is never touched.
 */
@Command({
  name: 'restore',
  arguments: '<file>',
  argsDescription: { file: "a backup written by 'backup'" },
  description: 'Restore a backup into a fresh data folder; --verify also rebuilds every projection there and compares read-model digests',
})
export class RestoreCommand extends CommandRunner {
  constructor(
    @Inject(STRATA_OPTIONS) private readonly options: StrataModuleOptions,
    private readonly projections: Projections,
    private readonly output: CliOutput,
    @Inject(CLI_SETTINGS) private readonly settings: CliSettings,
  ) {
    super();
  }

  async run([file]: string[], options: RestoreOptions): Promise<void> {
    const { source, folder } = this.checkArguments(file, options.into);
    mkdirSync(folder, { recursive: true });
    copyFileSync(source, join(folder, STORE_FILE));
    this.output.line(`restore: copied '${source}' to '${join(folder, STORE_FILE)}'`);
    const env = { ...(this.options.env ?? process.env), STRATA_DATA_DIR: folder };
    const restored = { ...this.options, eventStore: 'sqlite', readStore: 'sqlite', env };
    const events = await resolveEventStore(restored);
    const documents = await resolveDocumentStore(restored);
    try {
      const scan = await scanLog(events, this.output, this.settings.progressIntervalMs, 'restore');
      for (const problem of scan.problems) this.output.line(problemLine(problem));
      if (scan.problems.length > 0) {
        throw new CommandFailedError(`restore: the backup holds ${scan.problems.length} problem(s), listed above; it is not a sound backup. Try an older one.`);
      }
      this.output.line(`restore: ${scanSummary(scan)}`);
      if (options.verify) await this.rebuildAndCompare(events, documents);
      this.output.line(`restore: done; start the app with STRATA_DATA_DIR=${folder}`);
    } finally {
      await documents.close();
      await events.close();
    }
  }

  @Option({ flags: '--into <dir>', description: 'a new or empty data folder to restore into (required)' })
  into(dir: string): string {
    return dir;
  }

  @Option({ flags: '--verify', description: 'also rebuild every projection there and compare read-model digests with the backup' })
  verify(): boolean {
    return true;
  }

  private checkArguments(file: string | undefined, into: string | undefined): { source: string; folder: string } {
    if (file === undefined) throw new UsageError('restore: name the backup file, e.g. restore backups/strata.db --into ./restored --verify.');
    if (into === undefined) throw new UsageError('restore: --into <dir> is required: a new or empty folder that becomes the restored data folder.');
    const source = resolve(file);
    if (!existsSync(source)) throw new UsageError(`restore: there is no backup at '${source}'.`);
    const folder = resolve(into);
    if (existsSync(folder) && readdirSync(folder).length > 0) {
      throw new UsageError(`restore: '${folder}' is not empty; restore into a new or empty folder, so nothing there is overwritten.`);
    }
    return { source, folder };
  }

  /** Per projection: the backup's read model caught up to the head, then a full rebuild, compared by digest. */
  private async rebuildAndCompare(events: EventStore, documents: DocumentStore): Promise<void> {
    // The backup's leases belong to processes that ran elsewhere; nothing holds them here.
    await documents.collection(LEASES_COLLECTION).deleteMany({});
    const head = await events.headPosition();
    const mismatched: string[] = [];
    for (const name of this.projections.names) {
      const runner = this.projections.runner(name);
      const { projection } = runner;
      // Where this code's version keeps them: the digests compare that version's read model.
      const collections = Object.keys(projection.options.collections).map((collection) => runner.physicalName(collection));
      await this.catchUp(projection, events, documents, head);
      const fromBackup = await readModelDigest(documents, collections);
      const replay = new ProjectionReplay(projection, events, documents, this.projections.settings, this.projections.owner, { logger: SILENT });
      const result = await replay.run();
      const rebuilt = await readModelDigest(documents, collections);
      const same = fromBackup === rebuilt && result.parked === 0;
      if (!same) mismatched.push(name);
      const parked = result.parked > 0 ? `, ${result.parked} event(s) parked` : '';
      this.output.line(
        `restore: ${name}: backup ${fromBackup.slice(0, 16)}  rebuilt ${rebuilt.slice(0, 16)}  ${same ? 'match' : 'DIFFERENT'} (${result.events} events${parked})`,
      );
    }
    if (mismatched.length > 0) {
      throw new CommandFailedError(
        `restore: the read models of ${mismatched.join(', ')} differ from a rebuild of the backup's log; the restored folder now holds the rebuilt ones. Check the projections' code for non-determinism, or use another backup.`,
      );
    }
    this.output.line(`restore: every projection's rebuilt read model matches the backup's (${this.projections.names.length} projections)`);
  }

  /** Runs the projection from the backup's checkpoint up to `head`, as the app would on start. */
  private async catchUp(projection: RegisteredProjection, events: EventStore, documents: DocumentStore, head: Awaited<ReturnType<EventStore['headPosition']>>): Promise<void> {
    if (head === null) return;
    const runner = new ProjectionRunner(projection, events, documents, this.projections.settings, this.projections.owner, SILENT);
    runner.start();
    try {
      if (!(await runner.waitFor(head, Date.now() + CATCH_UP_TIMEOUT_MS))) {
        throw new CommandFailedError(`restore: projection '${projection.options.name}' did not reach the backup's head (${head}) within ${CATCH_UP_TIMEOUT_MS} ms.`);
      }
    } finally {
      await runner.stop();
    }
  }
}
