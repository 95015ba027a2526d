import { GetTransferHandler } from './get-transfer.handler';

export { GetTransferQuery } from './get-transfer.query';
export type { TransferView } from './transfer.view';

/** Every transfer query handler, for the module's providers. */
export const QueryHandlers = [GetTransferHandler];
