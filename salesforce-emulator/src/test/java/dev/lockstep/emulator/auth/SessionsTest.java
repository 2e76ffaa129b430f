package dev.lockstep.emulator.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.org.OrgClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The session table: tokens that expired without ever being used again must not pile up. */
class SessionsTest {

    private static final String ORG_ID = "00DLk0000000001AAA";

    @Test
    void expiredSessionsThatAreNeverResolvedAgainAreForgotten() {
        OrgClock clock = new OrgClock();
        Sessions sessions = new Sessions(ORG_ID, clock, Duration.ofMinutes(5));
        // A client that logs in for every call and never presents an old token again.
        for (int i = 0; i < 5_000; i++) {
            sessions.issue("005Lk0000000001AAA", "admin@lockstep.dev", "client");
            clock.advance(Duration.ofSeconds(1));
        }
        // Only the tokens of the last five minutes can still be used; the table must not hold the others.
        assertThat(sessions.activeSessions()).isLessThanOrEqualTo(300 + Sessions.SWEEP_EVERY);
    }

    @Test
    void liveSessionsSurviveTheSweep() {
        OrgClock clock = new OrgClock();
        Sessions sessions = new Sessions(ORG_ID, clock, Duration.ofHours(2));
        String token = sessions.issue("005Lk0000000001AAA", "admin@lockstep.dev", "client").accessToken();
        for (int i = 0; i < 3 * Sessions.SWEEP_EVERY; i++) {
            sessions.issue("005Lk0000000001AAA", "admin@lockstep.dev", "client");
        }
        assertThat(sessions.resolve(token)).isPresent();
        assertThat(sessions.activeSessions()).isEqualTo(3 * Sessions.SWEEP_EVERY + 1);
    }
}
