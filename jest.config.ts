import type { Config } from 'jest';

// Transpile only (tsconfig sets isolatedModules): `npm test` type-checks the whole tree once with tsc before jest runs.
const tsJest = ['ts-jest', { diagnostics: false }];

const config: Config = {
  rootDir: '.',
  testEnvironment: 'node',
  testMatch: ['<rootDir>/{apps,libs,test}/**/*.spec.ts'],
  // The consumer app's own spec runs inside the consumer test, against the packed packages.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/consumer/app/'],
  // Built output (dist/, libs/*/dist/) is never a test or a module to map.
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/libs/[^/]+/dist/'],
  transform: {
    '^.+\\.ts$': tsJest as never,
    // @fastify/static (which serves /docs) requires content-disposition, an ES module only;
    // Node loads it with require(esm), jest's CommonJS runtime needs it transpiled.
    '/node_modules/content-disposition/.+\\.js$': ['ts-jest', { diagnostics: false, tsconfig: { allowJs: true } }] as never,
  },
  transformIgnorePatterns: ['/node_modules/(?!content-disposition/)'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@strata/([a-z-]+)$': '<rootDir>/libs/$1/src',
    '^@strata/([a-z-]+)/(.*)$': '<rootDir>/libs/$1/src/$2',
  },
  testTimeout: 30_000,
  // Children spawned through @strata/testing/processes are killed after each test file, so a
  // test that fails or times out leaves no bank, CLI or writer running.
  setupFilesAfterEnv: ['<rootDir>/libs/testing/src/processes/kill-children-after-each-file.ts'],
  // Builds the packages and the bank once per run (the process tests start compiled code). KurrentDB
  // and MongoDB start once per run when Docker is reachable; otherwise one line says which suites
  // are skipped and why.
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/containers/jest-global-teardown.ts',
  // Tests that spawn child processes and hold SQLite files are the slow ones; two workers
  // match the two cores CI has.
  maxWorkers: 2,
};

export default config;
