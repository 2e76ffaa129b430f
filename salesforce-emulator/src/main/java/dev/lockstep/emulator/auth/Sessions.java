package dev.lockstep.emulator.auth;

import dev.lockstep.emulator.org.OrgClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Access and refresh tokens. Access tokens look like Salesforce's session ids: the 15-character org id, {@code !},
 * then 96 random characters ({@code 00DLk0000000001!AQ...}). They expire after the configured time to live;
 * an expired, revoked or unknown token is answered with 401 {@code INVALID_SESSION_ID}.
 */
public final class Sessions {

    private static final String TOKEN_CHARS =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._";

    private final String orgId15;
    private final OrgClock clock;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Session> byToken = new ConcurrentHashMap<>();
    private final Map<String, RefreshGrant> refreshTokens = new ConcurrentHashMap<>();
    private final AtomicInteger issuedSinceSweep = new AtomicInteger();
    private volatile Duration timeToLive;

    /** Expired sessions are dropped every this many issued tokens (and whenever one is resolved). */
    static final int SWEEP_EVERY = 256;

    /** What a refresh token may be exchanged for. */
    public record RefreshGrant(String refreshToken, String userId, String username, String clientId) {}

    public Sessions(String orgId, OrgClock clock, Duration timeToLive) {
        this.orgId15 = orgId.substring(0, 15);
        this.clock = clock;
        this.timeToLive = timeToLive;
    }

    public Duration timeToLive() {
        return timeToLive;
    }

    public void setTimeToLive(Duration timeToLive) {
        this.timeToLive = timeToLive;
    }

    /** Issues a new access token for a user, on behalf of a connected app. */
    public Session issue(String userId, String username, String clientId) {
        Instant now = clock.instant();
        Session session = new Session(orgId15 + "!AQ" + randomChars(94), userId, username, clientId, now,
                now.plus(timeToLive));
        byToken.put(session.accessToken(), session);
        // A token is otherwise forgotten only when it is presented after it expired: clients that log in for
        // every call would fill the table with dead sessions.
        if (issuedSinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            issuedSinceSweep.set(0);
            byToken.values().removeIf(s -> !now.isBefore(s.expiresAt()));
        }
        return session;
    }

    /** Issues a refresh token that {@link #redeem} exchanges for access tokens until it is revoked. */
    public RefreshGrant issueRefreshToken(String userId, String username, String clientId) {
        RefreshGrant grant = new RefreshGrant("5Aep" + randomChars(83), userId, username, clientId);
        refreshTokens.put(grant.refreshToken(), grant);
        return grant;
    }

    public Optional<RefreshGrant> redeem(String refreshToken) {
        return Optional.ofNullable(refreshToken == null ? null : refreshTokens.get(refreshToken));
    }

    /** The live session of an access token; expired ones are forgotten. */
    public Optional<Session> resolve(String accessToken) {
        if (accessToken == null) {
            return Optional.empty();
        }
        Session session = byToken.get(accessToken);
        if (session == null) {
            return Optional.empty();
        }
        if (!clock.instant().isBefore(session.expiresAt())) {
            byToken.remove(accessToken);
            return Optional.empty();
        }
        return Optional.of(session);
    }

    /** Revokes an access or refresh token; true if it existed. Revoking a refresh token keeps its access tokens. */
    public boolean revoke(String token) {
        return byToken.remove(token) != null | refreshTokens.remove(token) != null;
    }

    /** Ends every session (refresh tokens stay valid), as when an admin expires all sessions. */
    public int expireAll() {
        int count = byToken.size();
        byToken.clear();
        return count;
    }

    public int activeSessions() {
        return byToken.size();
    }

    private String randomChars(int n) {
        StringBuilder out = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            out.append(TOKEN_CHARS.charAt(random.nextInt(TOKEN_CHARS.length())));
        }
        return out.toString();
    }
}
