import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { StrataError } from '../errors/strata-error';
import { SAGA_COMMAND_FAILED } from './saga-messages';
import type { SagaHandler } from './saga-handler';
import type { SagaCommandMap, SagaOptions } from './saga-options';
import type { SagaClassFor } from './saga-types';

const SAGA_METADATA = Symbol.for('strata:saga');
const SAGA_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** A class that `@Saga` decorated. */
export type SagaClass = abstract new (...args: never[]) => SagaHandler<unknown, never>;

/**
 * Marks a class as a saga and makes it injectable. Register it with `StrataModule.forFeature({ sagas: [...] })`.
 * At compile time, every type in `handles` must be in the class's event union (its `correlate`
 * parameter), and every command it sends must go to a decider (`commandFor`) or be in `commands`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- no commands map: nothing is built by name
export function Saga<const H extends string, M extends SagaCommandMap = {}>(options: SagaOptions<H, M>): <T extends SagaClass>(target: SagaClassFor<T, H, M>) => void {
  const checked = validateSagaOptions(options);
  return (target) => {
    Reflect.defineMetadata(SAGA_METADATA, checked, target);
    Injectable()(target);
  };
}

/** The options `@Saga` recorded on a class, or undefined. */
export function sagaOptionsOf(target: object): SagaOptions | undefined {
  return Reflect.getMetadata(SAGA_METADATA, target) as SagaOptions | undefined;
}

/** Like `sagaOptionsOf`, but a class without `@Saga` is a clear error. */
export function requireSagaOptions(target: { readonly name: string }): SagaOptions {
  const options = sagaOptionsOf(target);
  if (!options) throw new StrataError('NOT_A_SAGA', `${target.name} is not a saga: decorate it with @Saga({ name, version, handles, startedBy }).`);
  return options;
}

function validateSagaOptions(options: SagaOptions): SagaOptions {
  const where = `@Saga(${JSON.stringify(options?.name ?? null)})`;
  const fail = (message: string): never => {
    throw new StrataError('INVALID_SAGA', `${where}: ${message}`);
  };
  if (typeof options?.name !== 'string' || !SAGA_NAME.test(options.name)) fail("the name must be lower-case letters, digits and '-', starting with a letter.");
  if (!Number.isSafeInteger(options.version) || options.version < 1) fail(`version must be a whole number from 1, got ${String(options.version)}.`);
  const isTypeList = (list: unknown): list is string[] => Array.isArray(list) && list.every((type) => typeof type === 'string' && type !== '');
  if (!isTypeList(options.handles) || options.handles.length === 0) fail('handles must list the event types the saga receives.');
  if (!isTypeList(options.startedBy) || options.startedBy.length === 0) fail('startedBy must list at least one event type that starts an instance.');
  const unhandled = options.startedBy.filter((type) => !options.handles.includes(type));
  if (unhandled.length > 0) fail(`startedBy names types it does not handle: ${unhandled.join(', ')}.`);
  if (options.handles.includes(SAGA_COMMAND_FAILED)) fail(`${SAGA_COMMAND_FAILED} is delivered to every saga; do not list it in handles.`);
  const { commands } = options;
  if (commands !== undefined && (typeof commands !== 'object' || commands === null || Object.values(commands).some((factory) => typeof factory !== 'function'))) {
    fail('commands, when given, must map each command type the saga sends to a function building the bus command.');
  }
  return Object.freeze({ ...options });
}
