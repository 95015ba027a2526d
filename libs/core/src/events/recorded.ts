import type { Event, RecordedEvent } from './event';

/**
 * One recorded event of a union, discriminated on `type`: a `switch` on `event.type` narrows
 * `data` as well (`RecordedEvent<A | B>` would not, since its `type` and `data` are separate unions).
 */
export type Recorded<E extends Event> = E extends Event ? RecordedEvent<E> : never;
