import type { INestApplicationContext, Type } from '@nestjs/common';
import { StrataError } from '@strata/core';
import { CommandFactory, CommandRunnerService } from 'nest-commander';
import { EXIT, exitCodeOf } from './cli-errors';
import { CommanderSetup } from './commander-setup';

/** How `runStrataCli` runs. */
export interface RunCliOptions {
  /** The program name in messages and help, e.g. 'bank'. */
  readonly name: string;
  /** The command line; defaults to `process.argv`. */
  readonly argv?: readonly string[];
}

/**
 * Builds the app's module without HTTP, runs one command, closes the stores, and resolves to
 * the exit code: 0 done, 1 failure, 2 usage. Every failure is one line on stderr, prefixed
 * with the program name; bad configuration names the variable.
 */
export async function runStrataCli(module: Type, options: RunCliOptions): Promise<number> {
  let app: INestApplicationContext;
  try {
    app = await CommandFactory.createWithoutRunning(module, {
      logger: false,
      // Let start-up errors (such as invalid configuration) reach us instead of aborting.
      abortOnError: false,
      cliName: options.name,
      serviceErrorHandler: (error) => {
        throw error;
      },
    });
  } catch (error) {
    return fail(options.name, error, EXIT.failure);
  }
  try {
    app.get(CommanderSetup).configure(options.name);
    await app.get(CommandRunnerService).run([...(options.argv ?? process.argv)]);
    return EXIT.ok;
  } catch (error) {
    const commander = commanderOutcome(error);
    if (commander === 'help') return EXIT.ok;
    return fail(options.name, error, commander === 'usage' ? EXIT.usage : exitCodeOf(error));
  } finally {
    await app.close();
  }
}

/** commander's own errors: help and version are fine, anything else is a usage mistake. */
function commanderOutcome(error: unknown): 'help' | 'usage' | null {
  if (typeof error !== 'object' || error === null || !('code' in error) || !('exitCode' in error)) return null;
  const { code } = error as { code: unknown };
  if (typeof code !== 'string' || !code.startsWith('commander.')) return null;
  return ['commander.helpDisplayed', 'commander.help', 'commander.version'].includes(code) ? 'help' : 'usage';
}

function fail(name: string, error: unknown, code: number): number {
  process.stderr.write(`${name}: ${oneLine(error, code === EXIT.usage)}\n`);
  return code;
}

function oneLine(error: unknown, usage: boolean): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/^error: /, '').replace(/\s*\n\s*/g, ' ');
  const hint = usage && !StrataError.isStrataError(error) ? ' (see --help)' : '';
  if (StrataError.isStrataError(error) || usage) return `${message}${hint}`;
  // Anything unexpected keeps where it came from, still on one line.
  return `${message} [${error instanceof Error ? error.name : typeof error}]`;
}
