import { Module } from '@nestjs/common';
import { TransferSettings, transferSettingsProvider } from './transfer-settings';

/** `TransferSettings`, for the transfers module and the saga it registers through `StrataModule.forFeature({ imports })`. */
@Module({ providers: [transferSettingsProvider], exports: [TransferSettings] })
export class TransferSettingsModule {}
