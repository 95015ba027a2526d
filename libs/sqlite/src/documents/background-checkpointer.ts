import { Worker } from 'node:worker_threads';
import type { SqliteDatabase } from '../sqlite-database';

/** How often the background connection checkpoints the write-ahead log. */
const CHECKPOINT_INTERVAL_MS = 250;

/**
 * Runs in a worker thread: its own connection to the file checkpoints the write-ahead log
 * (PASSIVE: it never waits for, nor blocks, readers and writers) until told to stop.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename, { timeout: workerData.busyTimeoutMs });
db.pragma('synchronous = ' + workerData.synchronous);
db.pragma('cache_size = -1024');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // Busy or interrupted: the next turn tries again, and the writer's own checkpoints resume at stop.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/**
 * Moves a connection's checkpoints of the write-ahead log to a worker thread while a bulk
 * writer (a replay's) commits on it. A checkpoint copies up to the 1,000 pages the log
 * collects between automatic checkpoints into the database and syncs both files, which on
 * the committing thread would stall the event loop for tens of milliseconds every few
 * commits; on another thread it costs the writer nothing. Stopping restores the connection's
 * automatic checkpoints.
 */
export class BackgroundCheckpointer {
  private constructor(
    private readonly db: SqliteDatabase,
    private readonly autocheckpoint: number,
    private readonly worker: Worker,
  ) {}

  /** Starts checkpointing `db`'s file from a worker thread; null for an in-memory database. */
  static start(db: SqliteDatabase): BackgroundCheckpointer | null {
    if (db.memory) return null;
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      // Plain JavaScript: none of the parent's flags (a TypeScript loader would cost tens of MB).
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      workerData: {
        driver: require.resolve('better-sqlite3'),
        filename: db.name,
        synchronous: db.pragma('synchronous', { simple: true }) as number,
        busyTimeoutMs: db.pragma('busy_timeout', { simple: true }) as number,
        intervalMs: CHECKPOINT_INTERVAL_MS,
      },
    });
    worker.unref();
    const autocheckpoint = db.pragma('wal_autocheckpoint', { simple: true }) as number;
    db.pragma('wal_autocheckpoint = 0');
    const checkpointer = new BackgroundCheckpointer(db, autocheckpoint, worker);
    // A worker that fails leaves the connection checkpointing as before.
    worker.on('error', () => checkpointer.restore());
    worker.on('exit', () => checkpointer.restore());
    return checkpointer;
  }

  /** Gives checkpoints back to the connection and lets the worker close its own. */
  stop(): void {
    this.restore();
    this.worker.postMessage('stop');
  }

  private restore(): void {
    if (this.db.open) this.db.pragma(`wal_autocheckpoint = ${this.autocheckpoint}`);
  }
}
