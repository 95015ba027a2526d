import { SetMetadata } from '@nestjs/common';

/** The metadata key `@Public()` sets. */
export const PUBLIC_ROUTE = 'strata:public-route';

/** Marks a controller or route as open without a token even when auth is on (health, metrics). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
