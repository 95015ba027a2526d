import type { Event, Recorded } from '@strata/core';

/** `requestedBy` is the authenticated requester (auth on): the owner `from` must have, and who may read the transfer. */
export type TransferRequested = Event<'TransferRequested', { transferId: string; from: string; to: string; amount: number; requestedBy?: string }>;
export type TransferCompleted = Event<'TransferCompleted', { transferId: string }>;
/** `reason` says, for the client, why the money did not move (or was returned). */
export type TransferFailed = Event<'TransferFailed', { transferId: string; reason: string }>;

/** Everything that can happen to a transfer's own stream. */
export type TransferEvent = TransferRequested | TransferCompleted | TransferFailed;

/** One recorded transfer event, discriminated on `type`. */
export type RecordedTransferEvent = Recorded<TransferEvent>;
