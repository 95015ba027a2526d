import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import { StorageFaultError } from '../errors/storage-errors';
import { strataTelemetry } from './strata-telemetry';

/**
 * Reports how a write ended, for readiness: a storage fault (full disk, quota, I/O error) turns
 * it false, and any write that reaches storage turns it true again. Other errors say nothing
 * about storage and are not reported.
 */
export function reportWrite(error?: unknown): void {
  if (error === undefined) strataTelemetry.emit({ kind: 'storage', fault: null });
  else if (StorageFaultError.isStorageFault(error)) strataTelemetry.emit({ kind: 'storage', fault: `${error.code}: ${error.message}` });
}

/** The app's view of its storage: the last write fault, until a write succeeds. */
@Injectable()
export class StorageHealth implements OnModuleDestroy {
  private lastFault: string | null = null;
  private readonly unsubscribe = strataTelemetry.subscribe((signal) => {
    if (signal.kind === 'storage') this.lastFault = signal.fault;
  });

  /** The fault that made the last write fail, or null once a write has succeeded since. */
  get fault(): string | null {
    return this.lastFault;
  }

  /** A write made outside the reporting paths (readiness's own probe) went through. */
  recovered(): void {
    this.lastFault = null;
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }
}
