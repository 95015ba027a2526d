import { Controller, Get, Param } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { ApiProblems, CurrentPrincipal, ReadsCollections, UuidParamPipe, type Principal, ApiQueryEndpoint } from '@strata/core';
import { TransferViewSchema } from '../api/transfer-schemas';
import { TRANSFERS_COLLECTION } from '../projections/transfer.document';
import { GetTransferQuery } from './get-transfer.query';
import type { TransferView } from './transfer.view';

/** The transfer queries over HTTP, from the transfers read model; `X-Strata-Position` waits for that projection. */
@ApiTags('transfers')
@ApiQueryEndpoint()
@Controller('transfers')
export class TransfersQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ReadsCollections(TRANSFERS_COLLECTION)
  @ApiOkResponse({ type: TransferViewSchema })
  @ApiProblems(404)
  get(@Param('id', UuidParamPipe) id: string, @CurrentPrincipal() principal: Principal | undefined): Promise<TransferView> {
    // With auth on, only the requester sees a transfer; anyone else gets the 404 of a missing one.
    return this.queryBus.execute(new GetTransferQuery(id, principal?.subject));
  }
}
