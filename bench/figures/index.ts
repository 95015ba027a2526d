import type { Figure } from '../harness';
import { figure as aggregateLoad } from './aggregate-load';
import { figure as appends } from './appends';
import { figure as checksums } from './checksums';
import { figure as cli } from './cli';
import { figure as http } from './http';
import { figure as integration } from './integration';
import { figure as liveLag } from './live-lag';
import { figure as postgresAppends } from './postgres-appends';
import { figure as postgresChecksums } from './postgres-checksums';
import { figure as postgresCatchup } from './postgres-catchup';
import { figure as postgresCommands } from './postgres-commands';
import { figure as replay } from './replay';

/** Every figure, in the order the bench runs them. */
export const FIGURES: readonly Figure[] = [appends, http, replay, aggregateLoad, liveLag, integration, postgresAppends, postgresCatchup, postgresCommands, checksums, postgresChecksums, cli];
