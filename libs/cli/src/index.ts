export { StrataCliModule, type StrataCliOptions } from './strata-cli.module';
export { runStrataCli, type RunCliOptions } from './run-strata-cli';
export { EXIT, UsageError, CommandFailedError } from './cli-errors';
export { CliOutput } from './cli-output';
export { PROGRESS_VARIABLE } from './cli-settings';
