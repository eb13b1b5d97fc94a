/**
 * outbox/: proactive delivery — messages persisted first, sent within Teams' rate limits and Retry-After, each once.
 */
export { Outbox, type OutboxOptions } from './outbox';
export { SlidingWindowLimiter, teamsRateLimits, type RateLimits, type RateWindow } from './rateLimiter';
export { defaultRetryOptions, type RetryOptions } from './retryPolicy';
