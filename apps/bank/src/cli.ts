import { Module } from '@nestjs/common';
import { runStrataCli, StrataCliModule } from '@strata/cli';
import { BankModule } from './bank.module';

/**
 * The bank's operator CLI: the bank with the same configuration, but none of its HTTP modules
 * (endpoints, health, metrics, auth: a command loads none of them) and no projection runners
 * (the running app keeps those), plus Strata's commands.
 */
@Module({
  imports: [BankModule.forRoot({ strata: { projections: { autoStart: false } } }), StrataCliModule.forRoot()],
})
class BankCliModule {}

runStrataCli(BankCliModule, { name: 'bank' }).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bank: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
