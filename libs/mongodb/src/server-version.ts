import { ConfigurationError } from '@strata/core';

/** The oldest MongoDB Strata runs on: the oldest whose features it uses and that the driver supports. */
export const MINIMUM_MONGODB_VERSION = '7.0';

/** What the connected server can do that the adapter chooses by. */
export interface ServerFeatures {
  readonly version: string;
  /** Whether `updateOne`/`replaceOne` take a `sort` (MongoDB 8.0); else the first match is looked up by `_id` first. */
  readonly updateSort: boolean;
}

/** The fields of a `buildInfo` reply Strata reads. */
export interface BuildInfoReply {
  readonly version?: unknown;
}

/** Reads the server's version from `buildInfo`, refusing one older than `MINIMUM_MONGODB_VERSION` in one line. */
export function serverFeatures(buildInfo: BuildInfoReply, variable = 'MONGODB_URL'): ServerFeatures {
  const version = typeof buildInfo.version === 'string' ? buildInfo.version : '';
  const [major, minor] = version.split('.').map(Number);
  const [minMajor, minMinor] = MINIMUM_MONGODB_VERSION.split('.').map(Number) as [number, number];
  if (major === undefined || minor === undefined || !Number.isInteger(major) || !Number.isInteger(minor)) {
    throw new ConfigurationError(variable, `the server reported no MongoDB version ('${version}'); Strata needs MongoDB ${MINIMUM_MONGODB_VERSION} or newer.`);
  }
  if (major < minMajor || (major === minMajor && minor < minMinor)) {
    throw new ConfigurationError(variable, `the server runs MongoDB ${version}, and Strata needs MongoDB ${MINIMUM_MONGODB_VERSION} or newer. Upgrade the replica set.`);
  }
  return { version, updateSort: major >= 8 };
}
