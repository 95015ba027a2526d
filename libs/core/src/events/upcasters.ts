import { StrataError } from '../errors/strata-error';
import type { RecordedEvent } from './event';

/** Lifts the data of one event type from `fromVersion` to `fromVersion + 1`. */
export interface Upcaster {
  readonly eventType: string;
  readonly fromVersion: number;
  upcast(data: Record<string, unknown>, event: RecordedEvent): Record<string, unknown>;
}

/** The upcasters of an application, applied on read in version order. */
export class Upcasters {
  private readonly byType = new Map<string, Map<number, Upcaster>>();

  constructor(upcasters: readonly Upcaster[] = []) {
    for (const upcaster of upcasters) this.register(upcaster);
  }

  register(upcaster: Upcaster): this {
    const versions = this.byType.get(upcaster.eventType) ?? new Map<number, Upcaster>();
    if (versions.has(upcaster.fromVersion)) {
      throw new StrataError(
        'DUPLICATE_UPCASTER',
        `Two upcasters lift '${upcaster.eventType}' from schema version ${upcaster.fromVersion}; keep one.`,
      );
    }
    versions.set(upcaster.fromVersion, upcaster);
    this.byType.set(upcaster.eventType, versions);
    return this;
  }

  get isEmpty(): boolean {
    return this.byType.size === 0;
  }

  /** Returns the event at the newest schema version its upcasters reach. */
  upcast<E extends RecordedEvent>(event: E): E {
    const versions = this.byType.get(event.type);
    if (!versions) return event;
    let version = event.metadata.schemaVersion ?? 1;
    let data: Record<string, unknown> = event.data;
    for (let step = versions.get(version); step; step = versions.get(version)) {
      data = step.upcast(data, event);
      version += 1;
    }
    if (data === event.data) return event;
    return { ...event, data, metadata: { ...event.metadata, schemaVersion: version } };
  }
}
