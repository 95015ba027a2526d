// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const adapterPackages = ['@strata/sqlite', '@strata/eventstoredb', '@strata/mongodb', '@strata/cli'];
const drivers = ['better-sqlite3', 'mongodb', '@kurrent/*', '@eventstore/*'];
const appsAvoidAdapterEntry = { name: '@strata/core/adapter', message: "Apps use '@strata/core'; '@strata/core/adapter' is for store adapters and tools." };

export default tseslint.config(
  { ignores: ['**/*.fixture.ts', '**/dist/**', 'node_modules/**', 'coverage/**', 'data/**', 'bench/results/**', '**/*.mjs', '**/*.js'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
    },
  },
  {
    // Core is the framework's heart: it knows ports, never adapters or their drivers.
    files: ['libs/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: adapterPackages.map((name) => ({ name, message: 'Core must not depend on an adapter.' })),
          patterns: [
            { group: [...drivers, ...adapterPackages.map((name) => `${name}/*`)], message: 'Core must not depend on an adapter or its driver.' },
            { group: ['**/libs/sqlite/**', '**/libs/mongodb/**', '**/libs/eventstoredb/**', '**/libs/cli/**', '**/apps/**'], message: 'Core must not reach into adapters or apps.' },
          ],
        },
      ],
    },
  },
  // An adapter depends on core and its own driver, never on another adapter or its driver.
  ...[
    ['libs/sqlite/**/*.ts', ['@strata/mongodb', '@strata/eventstoredb', '@strata/cli', 'mongodb', '@kurrent/*', '@eventstore/*']],
    ['libs/eventstoredb/**/*.ts', ['@strata/sqlite', '@strata/mongodb', '@strata/cli', 'better-sqlite3', 'mongodb']],
    ['libs/mongodb/**/*.ts', ['@strata/sqlite', '@strata/eventstoredb', '@strata/cli', 'better-sqlite3', '@kurrent/*', '@eventstore/*']],
  ].map(([files, group]) => ({
    files: [files],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message: 'Adapters do not depend on each other.' }] }] },
  })),
  {
    // The CLI works through core's ports, so it runs the same on every backend.
    files: ['libs/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['@strata/sqlite', '@strata/mongodb', '@strata/eventstoredb', ...drivers], message: 'The CLI uses core ports, never an adapter or its driver.' }] }],
    },
  },
  {
    // Apps use core's public API; '@strata/core/adapter' is for adapters and tools. Tests may reach in.
    files: ['apps/*/src/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [appsAvoidAdapterEntry] }] },
  },
  {
    // Query code reads read models only; it must never touch the event log, nor the command
    // side. Checked by module, whatever folder it sits in: a commands module or folder, a
    // decider, the event store, and the names in core and @nestjs/cqrs that send commands.
    files: ['apps/*/src/**/queries/**/*.ts', 'libs/*/test/fixtures/**/queries/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            appsAvoidAdapterEntry,
            {
              name: '@strata/core',
              importNames: ['EventStore', 'InMemoryEventStore', 'handleCommand', 'loadStream', 'AggregateHandle', 'InjectDecider', 'getDeciderToken', 'CommandSender', 'DecideCommand', 'commandFor'],
              message: 'Queries read only from read models, never the event store or the command side.',
            },
            { name: '@nestjs/cqrs', importNames: ['CommandBus', 'CommandHandler'], message: 'Queries do not send or handle commands.' },
          ],
          patterns: [
            { group: ['@strata/sqlite', '@strata/eventstoredb', '@strata/*/event-store', '@strata/*/event-store/**', '**/event-store', '**/event-store/**'], message: 'Queries read only from read models, never the event store.' },
            { group: ['**/commands', '**/commands/**', '**/*.commands', '**/*.command', '**/*.decider'], message: 'Queries read only from read models, never a commands module or a decider.' },
          ],
        },
      ],
    },
  },
  {
    // The consumer app's specs run under node:test, whose describe/it return promises its runner awaits.
    files: ['test/consumer/app/**/*.spec.ts'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
  {
    files: ['**/*.spec.ts', '**/test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
    },
  },
);
