import type { Config } from 'jest';

const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
  transform: { '^.+\\.ts$': swc as never },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@strata/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@strata/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testTimeout: 30_000,
  // Tests that spawn child processes and hold SQLite files are the slow ones; two workers
  // match the two cores CI has.
  maxWorkers: 2,
};

export default config;
