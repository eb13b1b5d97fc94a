export { Outbox, type OutboxOptions } from './outbox';
export { SlidingWindowLimiter, teamsRateLimits, type RateLimits, type RateWindow } from './rateLimiter';
export { defaultRetryOptions, type RetryOptions } from './retryPolicy';
