import type { Type } from '@nestjs/common';
import type { DiscoveryService } from '@nestjs/core';
import { StrataError } from '../errors/strata-error';
import { READS_COLLECTIONS } from './reads-collections.decorator';

/** One `@ReadsCollections` on a controller or one of its routes. */
interface ReadsDeclaration {
  readonly where: string;
  readonly collections: readonly string[];
}

function declarationsOf(controller: Type): ReadsDeclaration[] {
  const found: ReadsDeclaration[] = [];
  const own = Reflect.getMetadata(READS_COLLECTIONS, controller) as readonly string[] | undefined;
  if (own) found.push({ where: controller.name, collections: own });
  const seen = new Set<string>();
  for (let prototype = controller.prototype as object | null; prototype && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype) as object | null) {
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name === 'constructor' || seen.has(name)) continue;
      seen.add(name);
      const method = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (typeof method !== 'function') continue;
      const collections = Reflect.getMetadata(READS_COLLECTIONS, method) as readonly string[] | undefined;
      if (collections) found.push({ where: `${controller.name}.${name}`, collections });
    }
  }
  return found;
}

/**
 * Refuses a `@ReadsCollections` that names a collection no projection declares: read-your-writes
 * would wait for no projection there, and answer before the write is visible.
 */
export function assertReadCollectionsDeclared(discovery: DiscoveryService, declared: ReadonlySet<string>): void {
  for (const wrapper of discovery.getControllers()) {
    if (typeof wrapper.metatype !== 'function') continue;
    for (const { where, collections } of declarationsOf(wrapper.metatype as Type)) {
      const unknown = collections.filter((collection) => !declared.has(collection));
      if (unknown.length === 0) continue;
      const known = [...declared].sort().map((name) => `'${name}'`).join(', ') || 'none';
      throw new StrataError(
        'UNKNOWN_READ_COLLECTION',
        `@ReadsCollections on ${where} names ${unknown.map((name) => `'${name}'`).join(', ')}, which no projection declares, so read-your-writes could not wait for it. ` +
          `Declared collections: ${known}. Correct the name, or register the projection that writes it with StrataModule.forFeature.`,
      );
    }
  }
}
