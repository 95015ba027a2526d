import { Module } from '@nestjs/common';
import { StrataModule } from '@strata/core';
import { CommandHandlers } from './commands';
import { TransfersProjection } from './projections/transfers.projection';
import { QueryHandlers } from './queries';
import { TransferSaga } from './sagas/transfer.saga';
import { transferDecider } from './transfer.decider';
import { TransferSettingsModule } from './transfer-settings.module';

/** Money transfers: the transfer decider, the saga that moves the money, the read model and its query; `TransfersHttpModule` serves them over HTTP. */
@Module({
  imports: [
    TransferSettingsModule,
    // The saga is built in the feature module Strata returns, so it imports the settings it injects.
    StrataModule.forFeature({
      deciders: [transferDecider],
      projections: [TransfersProjection],
      sagas: [TransferSaga],
      imports: [TransferSettingsModule],
    }),
  ],
  providers: [...CommandHandlers, ...QueryHandlers],
})
export class TransfersModule {}
