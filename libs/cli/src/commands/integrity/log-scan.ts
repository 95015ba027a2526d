import { verifyLog, type EventStore } from '@strata/core';
import { ProgressMeter, type LogProblem, type LogVerification } from '@strata/core/adapter';
import type { CliOutput } from '../../cli-output';
import { ProgressReporter } from '../../format/progress-reporter';

/** Runs `verifyLog` over `events` with a progress bar (a line every `intervalMs` off a terminal) labelled `label`. */
export async function scanLog(events: EventStore, output: CliOutput, intervalMs: number, label: string): Promise<LogVerification> {
  const reporter = new ProgressReporter(output, intervalMs);
  const meter = new ProgressMeter(label, Date.now);
  reporter.start(label, `${label}: scanning the event log (checksums, revisions per stream, storage)`);
  try {
    return await verifyLog(events, { onProgress: (done, total) => reporter.update(meter.report('building', done, total)) });
  } finally {
    reporter.finish();
  }
}

/** One line per problem: where it is, then what is wrong. */
export function problemLine(problem: LogProblem): string {
  if (problem.position === null) return `file: ${problem.reason}`;
  return `position ${problem.position} (stream '${problem.streamId ?? '?'}', revision ${problem.revision ?? '?'}): ${problem.reason}`;
}

/** `1,234 events in 56 streams`, and what was checked. */
export function scanSummary(result: LogVerification): string {
  const unchecked = result.unchecked > 0 ? ` (${result.unchecked} events stored before checksums existed were read but unchecked)` : '';
  const positions = result.positionsChecked ? ', no position is missing' : '';
  const storage = result.storageChecked ? ', storage check passed' : '; this store has no storage check of its own: every row was read back instead';
  const sums = result.checksums ? `every checksum matches${unchecked}` : 'this store keeps no checksums of its own, so none were checked';
  return `${result.events} events in ${result.streams} streams: ${sums}, every stream's revisions are continuous${positions}${storage}`;
}
