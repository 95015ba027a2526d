import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { StrataError } from '../errors/strata-error';
import { validateCollectionName } from '../documents/document-indexes';
import type { ProjectionHandler } from './projection-handler';
import type { ProjectionOptions } from './projection-options';
import { assertShadowable } from './shadow-collections';

const PROJECTION_METADATA = Symbol.for('strata:projection');
const PROJECTION_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** A class that `@Projection` decorated. */
export type ProjectionClass = abstract new (...args: never[]) => ProjectionHandler<never>;

/**
 * Marks a class as a projection and makes it an injectable provider. Register it with
 * `StrataModule.forFeature({ projections: [...] })`. A parked event holds the later events of
 * its stream (or of its `partitionKey`) behind it, so a retry applies them in order.
 */
export function Projection(options: ProjectionOptions): ClassDecorator {
  const checked = validateProjectionOptions(options);
  return (target) => {
    Reflect.defineMetadata(PROJECTION_METADATA, checked, target);
    Injectable()(target);
  };
}

/** The options `@Projection` recorded on a class, or undefined when it has none. */
export function projectionOptionsOf(target: object): ProjectionOptions | undefined {
  return Reflect.getMetadata(PROJECTION_METADATA, target) as ProjectionOptions | undefined;
}

/** Like `projectionOptionsOf`, but a class without `@Projection` is a clear error. */
export function requireProjectionOptions(target: { readonly name: string }): ProjectionOptions {
  const options = projectionOptionsOf(target);
  if (!options) {
    throw new StrataError('NOT_A_PROJECTION', `${target.name} is not a projection: decorate it with @Projection({ name, version, collections }).`);
  }
  return options;
}

function validateProjectionOptions(options: ProjectionOptions): ProjectionOptions {
  const where = `@Projection(${JSON.stringify(options?.name ?? null)})`;
  if (typeof options?.name !== 'string' || !PROJECTION_NAME.test(options.name)) {
    throw new StrataError('INVALID_PROJECTION', `${where}: the name must be lower-case letters, digits and '-', starting with a letter.`);
  }
  if (!Number.isSafeInteger(options.version) || options.version < 1) {
    throw new StrataError('INVALID_PROJECTION', `${where}: version must be a whole number from 1, got ${String(options.version)}.`);
  }
  const collections = Object.keys(options.collections ?? {});
  if (collections.length === 0) {
    throw new StrataError('INVALID_PROJECTION', `${where}: declare the collections it writes, e.g. collections: { accounts: {} }.`);
  }
  for (const name of collections) assertShadowable(options.name, validateCollectionName(name), options.version);
  if (options.events !== undefined && (!Array.isArray(options.events) || options.events.some((type) => typeof type !== 'string' || type === ''))) {
    throw new StrataError('INVALID_PROJECTION', `${where}: events must be a list of event type names.`);
  }
  if (options.partitionKey !== undefined && typeof options.partitionKey !== 'function') {
    throw new StrataError('INVALID_PROJECTION', `${where}: partitionKey must be a function of the event that returns its ordering key, e.g. (event) => event.data.customerId.`);
  }
  return Object.freeze({ ...options });
}
