import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import { RateLimitedError } from '../errors/access-errors';

/** `@nestjs/throttler`'s guard, refusing with a `RateLimitedError`, so the 429 is problem+json like every error. */
@Injectable()
export class StrataThrottlerGuard extends ThrottlerGuard {
  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    // The guard has already set Retry-After (seconds) on the response.
    throw new RateLimitedError(Math.max(1, detail.timeToBlockExpire), detail.limit, detail.ttl);
  }
}
