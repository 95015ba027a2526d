import { EventStore } from '@strata/core';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Command, CommandRunner } from 'nest-commander';
import { UsageError } from '../../cli-errors';
import { CliOutput } from '../../cli-output';

/**
 * `backup <file>`: an online, consistent copy of the store (SQLite's backup API) while the app
 * keeps running and writing, checked before it is reported done. It never overwrites a file.
 */
@Command({
  name: 'backup',
  arguments: '<file>',
  argsDescription: { file: 'where to write the copy; must not exist yet' },
  description: 'Copy the store to a file while the app runs (consistent, online), then check the copy',
})
export class BackupCommand extends CommandRunner {
  constructor(
    private readonly events: EventStore,
    private readonly output: CliOutput,
  ) {
    super();
  }

  async run([file]: string[]): Promise<void> {
    if (file === undefined) throw new UsageError('backup: name the file to write, e.g. backup backups/strata-2026-01-01.db.');
    const target = resolve(file);
    if (existsSync(target)) throw new UsageError(`backup: '${target}' exists; a backup never overwrites a file. Name a new file, or move the old one away.`);
    mkdirSync(dirname(target), { recursive: true });
    const started = Date.now();
    const result = await this.events.backupTo(target);
    this.output.line(
      `backup: wrote '${result.file}' (${result.bytes} bytes, ${result.events} events, every checksum and the integrity check verified) in ${Date.now() - started} ms`,
    );
  }
}
