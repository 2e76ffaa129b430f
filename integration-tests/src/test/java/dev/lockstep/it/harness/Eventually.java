package dev.lockstep.it.harness;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for a condition with a bound, never for a fixed time. The condition is polled every 100 ms; exceptions it
 * throws while the system settles count as "not yet". When the bound passes, the failure names what was awaited
 * and the last value seen.
 */
public final class Eventually {

    public static final Duration DEFAULT_BOUND = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private Eventually() {}

    /** Waits until {@code condition} returns true. */
    public static void until(String what, Duration bound, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(bound).pollDelay(Duration.ZERO).pollInterval(POLL).ignoreExceptions()
                .until(condition);
    }

    /** Waits until {@code value} returns something {@code accepted}, and returns it. */
    public static <T> T until(String what, Duration bound, Callable<T> value, Predicate<? super T> accepted) {
        Object[] last = new Object[1];
        try {
            return Awaitility.await(what).atMost(bound).pollDelay(Duration.ZERO).pollInterval(POLL)
                    .ignoreExceptions().until(() -> {
                        T current = value.call();
                        last[0] = current;
                        return current;
                    }, accepted::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("Timed out after " + bound + " waiting for " + what + "; last value: " + last[0], e);
        }
    }
}
