/** What `POST /transfers` answers (202): the transfer's id, and the position to read it back at. */
export interface TransferAccepted {
  readonly id: string;
  readonly position: string;
}
