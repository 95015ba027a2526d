import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { namesOf, type Names } from './names';
import { deciderFiles, moduleFile, projectionFiles, sagaFiles, type GeneratedFile } from './templates';

/** What the generator makes. */
export type GeneratedKind = 'decider' | 'projection' | 'saga';
export const GENERATED_KINDS: readonly GeneratedKind[] = ['decider', 'projection', 'saga'];

type Marker = 'deciders' | 'projections' | 'sagas';

const plans: Record<GeneratedKind, { files: (names: Names) => GeneratedFile[]; marker: Marker; export: (names: Names) => string; from: (names: Names) => string }> = {
  decider: { files: deciderFiles, marker: 'deciders', export: (n) => `${n.camel}Decider`, from: (n) => `./${n.kebab}.decider` },
  projection: { files: projectionFiles, marker: 'projections', export: (n) => `${n.pascal}sProjection`, from: (n) => `./${n.kebab}s.projection` },
  saga: { files: sagaFiles, marker: 'sagas', export: (n) => `${n.pascal}ExpirySaga`, from: (n) => `./${n.kebab}-expiry.saga` },
};

/**
 * Writes a decider, projection or saga named `name`, with its spec, into feature folder `dir`,
 * and registers it in the folder's feature module (created with markers when there is none).
 * Returns the files written or changed. Nothing is overwritten.
 */
export function generate(kind: GeneratedKind, name: string, dir: string): string[] {
  if (!GENERATED_KINDS.includes(kind)) throw new Error(`'${kind}' is not something the generator makes; use one of: ${GENERATED_KINDS.join(', ')}.`);
  const names = namesOf(name);
  const plan = plans[kind];
  if (kind !== 'decider' && !existsSync(join(dir, `${names.kebab}.decider.ts`))) {
    throw new Error(`A ${kind} for '${name}' reads the events of ${names.kebab}.decider.ts, which ${dir} lacks. Generate it first: npm run generate -- decider ${name} --dir ${dir}`);
  }
  const files = plan.files(names);
  const clash = files.find((file) => existsSync(join(dir, file.file)));
  if (clash) throw new Error(`${join(dir, clash.file)} exists already; the generator overwrites nothing. Pick another name or remove it.`);
  mkdirSync(dir, { recursive: true });
  const modulePath = featureModule(dir);
  const wired = wire(readFileSync(modulePath, 'utf8'), modulePath, plan.marker, plan.export(names), plan.from(names));
  for (const file of files) writeFileSync(join(dir, file.file), file.text);
  writeFileSync(modulePath, wired);
  return [...files.map((file) => join(dir, file.file)), modulePath];
}

/** The folder's one `*.module.ts`, created from the template when there is none. */
function featureModule(dir: string): string {
  const modules = readdirSync(dir).filter((file) => file.endsWith('.module.ts'));
  if (modules.length > 1) throw new Error(`${dir} holds several modules (${modules.join(', ')}); generate into a folder with one feature module.`);
  if (modules[0] !== undefined) return join(dir, modules[0]);
  const created = moduleFile(namesOf(basename(dir)));
  writeFileSync(join(dir, created.file), created.text);
  return join(dir, created.file);
}

/** Adds the import and the registration at the module's markers; a module without them is named, with what to add. */
function wire(source: string, path: string, marker: Marker, name: string, from: string): string {
  const importMarker = '// strata:imports';
  const listMarker = `/* strata:${marker} */`;
  if (!source.includes(importMarker) || !source.includes(listMarker)) {
    throw new Error(`${path} has no '${importMarker}' and '${listMarker}' markers, so the generator cannot register ${name} there. Add them to its StrataModule.forFeature({ ${marker}: [...] }), or register ${name} by hand.`);
  }
  return source.replace(importMarker, `import { ${name} } from '${from}';\n${importMarker}`).replace(listMarker, `${name}, ${listMarker}`);
}
