import { httpStatusOf } from '../http/http-status';
import type { CommandResult } from '../commands/command-result';
import { reportWrite } from './storage-health';
import { strataTelemetry, type CommandOutcome } from './strata-telemetry';
import { inSpan } from './tracing';

/** How a failed command is counted: refused by the domain, lost a race, or broke. */
export function outcomeOfError(error: unknown): CommandOutcome {
  const status = httpStatusOf(error);
  if (status === 409 || status === 412) return 'conflict';
  return status < 500 ? 'rejected' : 'error';
}

/** The name a command is counted and traced under: its `type`, else the decider's category. */
export function commandNameOf(command: unknown, category: string): string {
  const type = typeof command === 'object' && command !== null ? (command as { type?: unknown }).type : undefined;
  return typeof type === 'string' && type !== '' ? type : category;
}

/**
 * Runs one command in a `strata.command` span, and reports its outcome and duration. A refusal
 * is an outcome, not a fault, so only errors that would be a 5xx mark the span failed.
 */
export async function observeCommand(command: string, streamId: string, work: () => Promise<CommandResult>): Promise<CommandResult> {
  const started = process.hrtime.bigint();
  const report = (outcome: CommandOutcome): void =>
    strataTelemetry.emit({ kind: 'command', command, outcome, seconds: Number(process.hrtime.bigint() - started) / 1e9 });
  const attributes = { 'strata.command': command, 'strata.stream_id': streamId };
  return inSpan(`strata.command ${command}`, { attributes, isFault: (error) => outcomeOfError(error) === 'error' }, async (span) => {
    try {
      const result = await work();
      const outcome = result.repeated ? 'repeated' : 'ok';
      span.setAttributes({ 'strata.outcome': outcome, 'strata.revision': Number(result.revision) });
      report(outcome);
      if (outcome === 'ok') reportWrite();
      return result;
    } catch (error) {
      const outcome = outcomeOfError(error);
      span.setAttribute('strata.outcome', outcome);
      report(outcome);
      reportWrite(error);
      throw error;
    }
  });
}
