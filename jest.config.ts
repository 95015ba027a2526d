import type { Config } from 'jest';

// Transpile only (tsconfig sets isolatedModules): `npm test` type-checks the whole tree once with tsc before jest runs.
const tsJest = ['ts-jest', { diagnostics: false }];

const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs}/**/*.spec.ts'],
  transform: { '^.+\\.ts$': tsJest as never },
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
