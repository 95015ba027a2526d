import { SetMetadata, type Type } from '@nestjs/common';
// Where Nest keeps each handler's parameter decorators; @nestjs/swagger reads the same keys.
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';

/** Metadata key of `@AllowUnknownQueryParameters`. */
export const ALLOW_UNKNOWN_QUERY = 'strata:allow-unknown-query';

/**
 * Opts an endpoint (or every endpoint of a controller) out of refusing unknown query parameters:
 * for a handler that reads `request.query` itself, or forwards it unseen.
 */
export const AllowUnknownQueryParameters = (): MethodDecorator & ClassDecorator => SetMetadata(ALLOW_UNKNOWN_QUERY, true);

/**
 * The query parameters a handler declares: the names of its `@Query('name')` parameters; 'dto'
 * when it takes the whole query as a class (the validation pipe's whitelist then judges each
 * parameter, with the DTO's own messages); 'any' when it takes the whole query untyped.
 */
export type DeclaredQuery = ReadonlySet<string> | 'dto' | 'any';

interface RouteArgument {
  readonly index: number;
  readonly data?: unknown;
}

const declared = new WeakMap<object, DeclaredQuery>();

/** What `handler` of `controller` declares about its query (cached: metadata never changes after start). */
export function declaredQueryOf(controller: Type, handler: { readonly name: string }): DeclaredQuery {
  const known = declared.get(handler);
  if (known) return known;
  const found = readDeclaredQuery(controller, handler);
  declared.set(handler, found);
  return found;
}

function readDeclaredQuery(controller: Type, handler: { readonly name: string }): DeclaredQuery {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler.name) ?? {}) as Record<string, RouteArgument>;
  const types = (Reflect.getMetadata('design:paramtypes', controller.prototype as object, handler.name) ?? []) as unknown[];
  const names = new Set<string>();
  for (const [key, argument] of Object.entries(args)) {
    if (key.split(':')[0] !== String(RouteParamtypes.QUERY)) continue;
    if (typeof argument.data === 'string') {
      names.add(argument.data);
      continue;
    }
    const type = types[argument.index];
    // `@Query() query: SomeDto` is validated as a whole; `@Query() query` (or a plain object type)
    // reads whatever was sent, so nothing in it is unknown.
    return typeof type === 'function' && type !== Object ? 'dto' : 'any';
  }
  return names;
}
