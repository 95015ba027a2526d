import { Controller, Get, Param, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ReadsCollections, UuidParamPipe } from '@strata/core';
import { NoQueryDto } from '../../accounts/queries/dto/no-query.dto';
import { TRANSFERS_COLLECTION } from '../projections/transfer.document';
import { GetTransferQuery } from './get-transfer.query';
import type { TransferView } from './transfer.view';

/** The transfer queries over HTTP, from the transfers read model; `X-Strata-Position` waits for that projection. */
@Controller('transfers')
export class TransfersQueriesController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get(':id')
  @ReadsCollections(TRANSFERS_COLLECTION)
  get(@Param('id', UuidParamPipe) id: string, @Query() _query: NoQueryDto): Promise<TransferView> {
    return this.queryBus.execute(new GetTransferQuery(id));
  }
}
