import { runStrataApp } from '@strata/core';
import { AppModule } from './app.module';
import { BANK_APP } from './bank-app';

void runStrataApp(AppModule.forRoot(), BANK_APP);
