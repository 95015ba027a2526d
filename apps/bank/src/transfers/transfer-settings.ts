import { STRATA_OPTIONS, type StrataModuleOptions } from '@strata/core';
import type { FactoryProvider } from '@nestjs/common';
import { transferTimeoutMsFrom } from '../bank-config';

/** How transfers behave; injected into the transfer saga. */
export class TransferSettings {
  constructor(
    /** How long the saga waits for the withdrawal before the transfer fails (and a late withdrawal is refunded). */
    readonly timeoutMs: number,
  ) {}
}

/** Reads the settings from the environment the Strata module reads, so tests can pass their own. */
export const transferSettingsProvider: FactoryProvider<TransferSettings> = {
  provide: TransferSettings,
  inject: [STRATA_OPTIONS],
  useFactory: (options: StrataModuleOptions) => new TransferSettings(transferTimeoutMsFrom(options.env ?? process.env)),
};
