/**
 * A prefix on every stream name, so several stores (test runs, tenants) share one server
 * without seeing each other's events. The empty namespace is the whole server.
 */
export class StreamNamespace {
  constructor(readonly prefix = '') {}

  /** The server-side name of a Strata stream id. */
  qualify(streamId: string): string {
    return `${this.prefix}${streamId}`;
  }

  /** The Strata stream id of a server-side name, or null when the stream is outside the namespace. */
  unqualify(streamName: string): string | null {
    return streamName.startsWith(this.prefix) ? streamName.slice(this.prefix.length) : null;
  }
}
