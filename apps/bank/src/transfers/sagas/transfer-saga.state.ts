/** Where a transfer is: each stage waits for the outcome of the one command it sent. */
export type TransferStage = 'withdrawing' | 'depositing' | 'refunding' | 'completing' | 'failing';

/** One transfer saga instance's state, stored as JSON. */
export interface TransferSagaState {
  readonly stage: TransferStage;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  /** The authenticated requester, whom the withdrawal acts for (so only the owner's money moves). */
  readonly requestedBy?: string;
  /** Why the transfer fails; while refunding, the cause alone (the refund outcome is added when it is known). */
  readonly reason?: string;
  /** The deadline passed before the withdrawal was seen: the transfer fails, whatever the withdrawal does. */
  readonly timedOut?: true;
}
