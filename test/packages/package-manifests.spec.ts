import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import ts from 'typescript';

// Each lib is an npm package: what its shipped code imports must be in its manifest, or an app
// that installs it fails at run time, which no test inside this repo (where every package is
// hoisted to the root) would notice.

interface Manifest {
  readonly name: string;
  readonly exports: Record<string, { types: string; default: string } | string>;
  readonly dependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly files: readonly string[];
}

const root = join(__dirname, '..', '..');
const libs = readdirSync(join(root, 'libs')).filter((name) => existsSync(join(root, 'libs', name, 'package.json')));

function manifestOf(lib: string): Manifest {
  return JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8')) as Manifest;
}

/** The shipped sources of a lib: everything under src/ but specs and fixtures. */
function shippedSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return shippedSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.spec.ts') && !entry.name.endsWith('.fixture.ts') ? [path] : [];
  });
}

/** The package each bare import names (`@scope/name/sub` -> `@scope/name`): imports, re-exports, import() and require(). */
function importedPackages(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && (node.expression.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(node.expression) && node.expression.text === 'require'))) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteral(argument)) specifiers.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:') && !builtinModules.includes(specifier))
    .map((specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/'));
}

describe.each(libs)('the @strata/%s package manifest', (lib) => {
  const manifest = manifestOf(lib);

  it('is named after its folder, at a 0.x version, and ships only dist and its README', () => {
    expect(manifest.name).toBe(`@strata/${lib}`);
    expect((manifest as unknown as { version: string }).version).toMatch(/^0\.\d+\.\d+$/);
    expect(manifest.files.filter((entry) => !entry.startsWith('!'))).toEqual(['dist', 'README.md']);
    expect(existsSync(join(root, 'libs', lib, 'README.md'))).toBe(true);
  });

  it('declares every package its shipped code imports, as a dependency or a peer dependency', () => {
    const declared = new Set([manifest.name, ...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
    const undeclared = shippedSources(join(root, 'libs', lib, 'src')).flatMap((file) =>
      importedPackages(file)
        .filter((name) => !declared.has(name))
        .map((name) => `${relative(root, file)} imports ${name}`),
    );
    expect(undeclared).toEqual([]);
  });

  it('maps each entry point to a source module and to built files with types', () => {
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (entry === './package.json') continue;
      if (typeof target === 'string') throw new Error(`${manifest.name} exports ${entry} without types`);
      const module = target.default.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
      expect(target.types).toBe(`./dist/${module}.d.ts`);
      // The monorepo resolves '@strata/<lib>/<entry>' to libs/<lib>/src/<entry> (jest and tsconfig paths).
      const sourceEntry = entry === '.' ? 'index' : entry.slice(2);
      expect([`${sourceEntry}`, `${sourceEntry}/index`]).toContain(module);
      expect(existsSync(join(root, 'libs', lib, 'src', `${module}.ts`))).toBe(true);
    }
  });
});
