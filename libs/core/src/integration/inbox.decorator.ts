import 'reflect-metadata';
import { Injectable } from '@nestjs/common';
import { StrataError } from '../errors/strata-error';
import type { InboxHandler, InboxOptions } from './inbox-handler';
import type { IntegrationEventContract } from './integration-event';

const INBOX_METADATA = Symbol.for('strata:inbox');
const INBOX_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/** A class that `@Inbox` decorated. */
export type InboxClass = abstract new (...args: never[]) => InboxHandler<never>;

/** Marks a class as the inbox of integration events of the listed contracts, and makes it injectable. */
export function Inbox(options: InboxOptions): ClassDecorator {
  const where = `@Inbox(${JSON.stringify(options?.name ?? null)})`;
  if (typeof options?.name !== 'string' || !INBOX_NAME.test(options.name)) {
    throw new StrataError('INVALID_INBOX', `${where}: the name must be lower-case letters, digits and '-', starting with a letter.`);
  }
  const events: readonly IntegrationEventContract[] = Array.isArray(options.events) ? options.events : [];
  if (events.length === 0) throw new StrataError('INVALID_INBOX', `${where}: list the integration event contracts it receives in 'events'.`);
  const names = events.map((contract) => contract.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) throw new StrataError('INVALID_INBOX', `${where}: '${twice}' is listed twice; an inbox receives one version of each contract.`);
  return (target) => {
    Reflect.defineMetadata(INBOX_METADATA, options, target);
    Injectable()(target);
  };
}

/** The options `@Inbox` recorded on a class, or undefined. */
export function inboxOptionsOf(target: object): InboxOptions | undefined {
  return Reflect.getMetadata(INBOX_METADATA, target) as InboxOptions | undefined;
}
