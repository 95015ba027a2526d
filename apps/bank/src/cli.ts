import { Module } from '@nestjs/common';
import { runStrataCli, StrataCliModule } from '@strata/cli';
import { AppModule } from './app.module';

/**
 * The bank's operator CLI: the app's modules with the same configuration, but no HTTP server
 * and no projection runners (the running app keeps those), plus Strata's commands.
 */
@Module({
  imports: [AppModule.forRoot({ strata: { projections: { autoStart: false } } }), StrataCliModule.forRoot()],
})
class BankCliModule {}

runStrataCli(BankCliModule, { name: 'bank' }).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bank: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
