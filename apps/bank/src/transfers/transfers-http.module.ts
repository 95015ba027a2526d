import { Module } from '@nestjs/common';
import { TransfersQueriesController } from './queries/transfers-queries.controller';
import { TransfersController } from './transfers.controller';

/** The transfers' endpoints. Only the HTTP app mounts it. */
@Module({ controllers: [TransfersController, TransfersQueriesController] })
export class TransfersHttpModule {}
