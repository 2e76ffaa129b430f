package dev.lockstep.salesforce.client.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Capped exponential backoff with full jitter for {@code RETRIABLE} failures: attempt n (from 0) waits a random time
 * in [0, min(cap, base × 2^n)], so many clients failing together do not retry together.
 *
 * @param maxRetries retries after the first attempt; 0 disables retrying
 */
public record RetryPolicy(int maxRetries, Duration base, Duration cap) {

    public RetryPolicy {
        if (maxRetries < 0) {
            throw new IllegalArgumentException("maxRetries must not be negative: " + maxRetries);
        }
        if (base.isNegative() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 <= base <= cap, got base " + base + ", cap " + cap);
        }
    }

    public static RetryPolicy defaults() {
        return new RetryPolicy(5, Duration.ofMillis(250), Duration.ofSeconds(30));
    }

    /** The wait before retry number {@code attempt} (0 for the first retry). */
    public Duration delay(int attempt) {
        long ceiling = Math.min(cap.toMillis(), base.toMillis() * (1L << Math.min(attempt, 30)));
        return Duration.ofMillis(ceiling <= 0 ? 0 : ThreadLocalRandom.current().nextLong(ceiling + 1));
    }
}
