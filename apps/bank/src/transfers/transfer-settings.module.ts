import { Global, Module } from '@nestjs/common';
import { TransferSettings, transferSettingsProvider } from './transfer-settings';

/**
 * Makes `TransferSettings` global: sagas registered with `StrataModule.forFeature` are built in
 * Strata's module, which sees only global providers, not the transfers module's own.
 */
@Global()
@Module({ providers: [transferSettingsProvider], exports: [TransferSettings] })
export class TransferSettingsModule {}
