import { GENERATED_KINDS, generate, type GeneratedKind } from './generate';

// `npm run generate -- decider|projection|saga <name> [--dir <feature folder>]`
const USAGE = 'usage: npm run generate -- decider|projection|saga <name> [--dir <feature folder>]   (the folder defaults to src/<name>)';

function main(args: readonly string[]): number {
  const [kind, name, flag, dir] = args;
  if (kind === undefined || name === undefined || !GENERATED_KINDS.includes(kind as GeneratedKind) || (flag !== undefined && (flag !== '--dir' || dir === undefined))) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    for (const file of generate(kind as GeneratedKind, name, dir ?? `src/${name}`)) process.stdout.write(`wrote ${file}\n`);
    return 0;
  } catch (error) {
    process.stderr.write(`generate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = main(process.argv.slice(2));
