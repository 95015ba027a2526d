import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

// What each package entry point exports, read from its source module's export statements, so the
// public API is a list a reviewer sees change rather than a side effect of a new file.

const root = join(__dirname, '..', '..');

interface EntryManifest {
  readonly name: string;
  readonly exports: Record<string, { default: string } | string>;
}

/** Every entry point of every lib, as '@strata/<lib>' or '@strata/<lib>/<entry>', with its source module. */
export function entryPoints(): { readonly specifier: string; readonly source: string }[] {
  return readdirSync(join(root, 'libs'))
    .filter((lib) => existsSync(join(root, 'libs', lib, 'package.json')))
    .flatMap((lib) => {
      const manifest = JSON.parse(readFileSync(join(root, 'libs', lib, 'package.json'), 'utf8')) as EntryManifest;
      return Object.entries(manifest.exports)
        .filter(([entry]) => entry !== './package.json')
        .map(([entry, target]) => {
          const built = typeof target === 'string' ? target : target.default;
          const module = built.replace(/^\.\/dist\//, '').replace(/\.js$/, '');
          return { specifier: entry === '.' ? manifest.name : `${manifest.name}/${entry.slice(2)}`, source: join(root, 'libs', lib, 'src', `${module}.ts`) };
        });
    });
}

/** The names a module exports, sorted: named exports, declarations, and `export *` followed to their module. */
export function exportedNames(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const names = new Set<string>();
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (statement.exportClause && ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) names.add(element.name.text);
      } else if (statement.exportClause) {
        names.add(statement.exportClause.name.text);
      } else if (statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        for (const name of exportedNames(moduleFile(file, statement.moduleSpecifier.text))) names.add(name);
      }
    } else if (ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)) {
      if (ts.isVariableStatement(statement)) {
        for (const declaration of statement.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.add(declaration.name.text);
      } else if ('name' in statement && statement.name && ts.isIdentifier(statement.name)) {
        names.add(statement.name.text);
      }
    }
  }
  return [...names].sort();
}

function moduleFile(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  const candidates = [`${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new Error(`${from} re-exports '${specifier}', which resolves to none of ${candidates.join(', ')}`);
  return found;
}
