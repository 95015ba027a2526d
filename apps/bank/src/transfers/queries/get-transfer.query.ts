import { Query } from '@nestjs/cqrs';
import type { TransferView } from './transfer.view';

/** One transfer, from the transfers read model. */
export class GetTransferQuery extends Query<TransferView> {
  constructor(
    readonly transferId: string,
    /** With auth on: the caller, who must have requested it. */
    readonly viewer?: string,
  ) {
    super();
  }
}
