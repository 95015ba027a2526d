/** Where sagas and deadlines get the time; inject another (a virtual clock in tests) via `StrataModule.forRoot({ clock })`. */
export abstract class Clock {
  /** Milliseconds since the epoch. */
  abstract now(): number;
}

/** The machine's clock. */
export class SystemClock extends Clock {
  override now(): number {
    return Date.now();
  }
}
