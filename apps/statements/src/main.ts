import { runStrataApp } from '@strata/core';
import { AppModule } from './app.module';
import { STATEMENTS_APP } from './statements-app';

void runStrataApp(AppModule.forRoot(), STATEMENTS_APP);
