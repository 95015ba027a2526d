// Runs every jest tier this machine can run, then prints one plain summary line.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const output = join(root, '.jest-results.json');
rmSync(output, { force: true });

const jest = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', '--json', `--outputFile=${output}`, ...process.argv.slice(2)],
  { cwd: root, stdio: 'inherit' },
);

if (!existsSync(output)) {
  console.error(`jest produced no results (exit ${jest.status ?? jest.signal})`);
  process.exit(jest.status || 1);
}
const results = JSON.parse(readFileSync(output, 'utf8'));
const skipped = results.numPendingTests + results.numTodoTests;
console.log('');
console.log(`suites: ${results.numPassedTestSuites} passed, ${results.numFailedTestSuites} failed`);
console.log(`tests: ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${skipped} skipped`);
// A skipped test is never silent: name each skipped group, whose title carries the reason.
const skippedGroups = new Set(
  results.testResults.flatMap((file) =>
    file.assertionResults.filter((test) => test.status === 'pending' || test.status === 'todo').map((test) => test.ancestorTitles[0] ?? test.title),
  ),
);
for (const group of skippedGroups) console.log(`skipped: ${group}`);
process.exit(jest.status ?? 1);
