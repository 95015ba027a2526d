import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

interface LintResult {
  readonly filePath: string;
  readonly messages: readonly { ruleId: string | null; line: number; message: string }[];
}

const root = join(__dirname, '..', '..', '..');

/** Lints fixture files that `eslint .` ignores, with the project's real configuration. */
function lint(...files: string[]): LintResult[] {
  const eslint = join(root, 'node_modules', 'eslint', 'bin', 'eslint.js');
  try {
    execFileSync(process.execPath, [eslint, '--no-ignore', '--format', 'json', ...files], { cwd: root, encoding: 'utf8' });
    return [];
  } catch (error) {
    // eslint exits 1 when it finds problems; the JSON report is still on stdout.
    return JSON.parse((error as { stdout: string }).stdout) as LintResult[];
  }
}

describe('import boundaries (eslint no-restricted-imports)', () => {
  const results = lint(
    'libs/core/test/fixtures/adapter-import.fixture.ts',
    'apps/bank/src/accounts/queries/event-store-import.fixture.ts',
    'libs/core/test/fixtures/distributed-import.fixture.ts',
    'libs/mongodb/test/adapter-import.fixture.ts',
    'apps/bank/src/accounts/adapter-entry-import.fixture.ts',
    'libs/core/test/fixtures/library/queries/command-side-import.fixture.ts',
  );
  const restricted = (suffix: string): number[] =>
    (results.find((result) => result.filePath.endsWith(suffix))?.messages ?? [])
      .filter((message) => message.ruleId === 'no-restricted-imports')
      .map((message) => message.line)
      // A line may break more than one pattern ('@strata/mongodb' is also the 'mongodb' driver's name); count it once.
      .filter((line, index, lines) => lines.indexOf(line) === index);

  it('keeps core free of adapters and drivers', () => {
    expect(restricted('adapter-import.fixture.ts')).toEqual([3, 4]);
  });

  it('keeps core free of the distributed adapters and their drivers', () => {
    expect(restricted('distributed-import.fixture.ts')).toEqual([3, 4, 5, 6]);
  });

  it('keeps one adapter from depending on another', () => {
    expect(restricted('mongodb/test/adapter-import.fixture.ts')).toEqual([3, 4]);
  });

  it("keeps apps on core's public entry point, away from '@strata/core/adapter'", () => {
    expect(restricted('adapter-entry-import.fixture.ts')).toEqual([3]);
  });

  it('keeps query code away from the event store', () => {
    expect(restricted('event-store-import.fixture.ts')).toEqual([3]);
  });

  it('keeps query code away from the command side by module, not only by folder name', () => {
    // A commands module, a commands folder's index, the CommandBus, CommandSender and a deep import of the event store; not ReadModels.
    expect(restricted('command-side-import.fixture.ts')).toEqual([2, 3, 4, 5, 6]);
  });
});
