import { Injectable } from '@nestjs/common';

/** Whether the app is shutting down: readiness turns false first, so load balancers stop sending. */
@Injectable()
export class Draining {
  private since: number | null = null;

  get draining(): boolean {
    return this.since !== null;
  }

  /** Marks the start of a graceful shutdown; calling it again changes nothing. */
  begin(now: number = Date.now()): void {
    this.since ??= now;
  }
}
