import { Module } from '@nestjs/common';
import { runStrataCli, StrataCliModule } from '@strata/cli';
import { AppModule } from './app.module';

/** The statements service's operator CLI: its modules without HTTP or runners, plus Strata's commands. */
@Module({
  imports: [AppModule.forRoot({ strata: { projections: { autoStart: false } } }), StrataCliModule.forRoot()],
})
class StatementsCliModule {}

runStrataCli(StatementsCliModule, { name: 'statements' }).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`statements: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
