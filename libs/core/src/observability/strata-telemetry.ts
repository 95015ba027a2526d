/** How a command ended, as metrics label it. */
export type CommandOutcome = 'ok' | 'repeated' | 'rejected' | 'conflict' | 'error';

/** What core reports as it works; a metrics exporter turns these into series. */
export type TelemetrySignal =
  | { readonly kind: 'command'; readonly command: string; readonly outcome: CommandOutcome; readonly seconds: number }
  | { readonly kind: 'appended'; readonly eventType: string; readonly count: number }
  | { readonly kind: 'replay'; readonly projection: string; readonly done: number; readonly total: number | null }
  /** A write reached storage (`fault` null), or storage refused it (full disk, quota, I/O fault). */
  | { readonly kind: 'storage'; readonly fault: string | null };

type Listener = (signal: TelemetrySignal) => void;

/**
 * The process-wide channel from core's hot paths (command handling, appends, replays) to
 * whatever observes them. Like OpenTelemetry's global API it costs nothing until something
 * listens, and a listener's failure never reaches the work it observes.
 */
class Telemetry {
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` with every signal until the returned function is called. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(signal: TelemetrySignal): void {
    for (const listener of this.listeners) {
      try {
        listener(signal);
      } catch {
        // Observing must never fail a command or a batch.
      }
    }
  }
}

/** Core's telemetry channel (see `Telemetry`). */
export const strataTelemetry = new Telemetry();
