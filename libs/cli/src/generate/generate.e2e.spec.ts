import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { generate } from './generate';

const root = join(__dirname, '..', '..', '..', '..');

describe('npm run generate', () => {
  describe('into a feature folder of a throwaway app in the repo', () => {
    // Inside the repo, so the generated code resolves @strata/* as an app's code does; removed afterwards.
    const app = mkdtempSync(join(root, 'apps', 'generated-'));
    const feature = join(app, 'src', 'library');
    afterAll(() => rmSync(app, { recursive: true, force: true }));

    it('writes a decider, a projection and a saga with their specs, wired into the feature module', () => {
      const written = [...generate('decider', 'book', feature), ...generate('projection', 'book', feature), ...generate('saga', 'book', feature)];
      expect(new Set(written.map((file) => relative(feature, file)))).toEqual(
        new Set(['book.decider.ts', 'book.decider.spec.ts', 'books.projection.ts', 'books.projection.spec.ts', 'book-expiry.saga.ts', 'book-expiry.saga.spec.ts', 'library.module.ts']),
      );
      const module = readFileSync(join(feature, 'library.module.ts'), 'utf8');
      expect(module).toContain('deciders: [bookDecider, /* strata:deciders */]');
      expect(module).toContain('projections: [BooksProjection, /* strata:projections */]');
      expect(module).toContain('sagas: [BookExpirySaga, /* strata:sagas */]');
    });

    it('type-checks against the repo libs in strict mode', () => {
      writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({ extends: relative(app, join(root, 'tsconfig.json')), include: ['./**/*.ts'] }));
      const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(app, 'tsconfig.json'), '--noEmit'], { cwd: root, encoding: 'utf8', timeout: 240_000 });
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    }, 300_000);

    it('passes its own specs', () => {
      const jest = spawnSync(process.execPath, [join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--ci', relative(root, app)], { cwd: root, encoding: 'utf8', timeout: 280_000 });
      expect(jest.stderr).toMatch(/Tests:\s+7 passed, 7 total/);
      expect(jest.status).toBe(0);
    }, 300_000);
  });

  describe('refusals (nothing written)', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'strata-generate-'));
    const dir = join(tmp, 'loans');
    afterAll(() => rmSync(tmp, { recursive: true, force: true }));

    it('refuses a projection or saga before its decider, a name that is not kebab-case, and an existing file', () => {
      expect(() => generate('saga', 'loan', dir)).toThrow(`A saga for 'loan' reads the events of loan.decider.ts, which ${dir} lacks. Generate it first: npm run generate -- decider loan --dir ${dir}`);
      expect(() => generate('decider', 'Loan', dir)).toThrow("'Loan' is not a name the generator takes: use lower-case words joined by '-'");
      generate('decider', 'loan', dir);
      const module = readFileSync(join(dir, 'loans.module.ts'), 'utf8');
      expect(() => generate('decider', 'loan', dir)).toThrow(`${join(dir, 'loan.decider.ts')} exists already; the generator overwrites nothing.`);
      expect(readFileSync(join(dir, 'loans.module.ts'), 'utf8')).toBe(module);
    });

    it('names the markers when a feature module has none', () => {
      const plain = mkdtempSync(join(tmpdir(), 'strata-generate-'));
      try {
        writeFileSync(join(plain, 'shop.module.ts'), 'export class ShopModule {}\n');
        expect(() => generate('decider', 'order', plain)).toThrow("has no '// strata:imports' and '/* strata:deciders */' markers, so the generator cannot register orderDecider there.");
        expect(execFileSync('ls', [plain], { encoding: 'utf8' }).trim()).toBe('shop.module.ts');
      } finally {
        rmSync(plain, { recursive: true, force: true });
      }
    });
  });
});
