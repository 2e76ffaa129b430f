package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.OrgException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The open query cursors (query locators) behind {@code nextRecordsUrl}. Like Salesforce, a cursor expires after
 * 15 minutes without use, measured on the org clock, and a user holds at most 10: opening an eleventh releases
 * the user's oldest. Using a released or expired cursor answers 400 {@code INVALID_QUERY_LOCATOR}.
 */
final class QueryCursors {

    static final Duration IDLE_TIMEOUT = Duration.ofMinutes(15);
    static final int PER_USER = 10;
    private static final String KEY_PREFIX = "01g";

    /** An open cursor: the snapshot it pages through. */
    static final class Cursor {
        final String id;
        final String userId;
        final ResultSet results;
        final int pageSize;
        final long opened;
        volatile long lastUsedMillis;

        Cursor(String id, String userId, ResultSet results, int pageSize, long opened, long now) {
            this.id = id;
            this.userId = userId;
            this.results = results;
            this.pageSize = pageSize;
            this.opened = opened;
            this.lastUsedMillis = now;
        }
    }

    private final OrgClock clock;
    private final Map<String, Cursor> open = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();

    QueryCursors(OrgClock clock) {
        this.clock = clock;
    }

    /** Opens a cursor over {@code results} for {@code userId}; returns its id. */
    synchronized String open(String userId, ResultSet results, int pageSize) {
        long now = clock.millis();
        open.values().removeIf(c -> expired(c, now));
        List<Cursor> mine = new ArrayList<>();
        for (Cursor cursor : open.values()) {
            if (cursor.userId.equals(userId)) {
                mine.add(cursor);
            }
        }
        mine.sort(Comparator.comparingLong(c -> c.opened));
        for (int i = 0; i <= mine.size() - PER_USER; i++) {
            open.remove(mine.get(i).id);
        }
        long n = sequence.incrementAndGet();
        String id = Ids.make(KEY_PREFIX, n);
        open.put(id, new Cursor(id, userId, results, pageSize, n, now));
        return id;
    }

    /** The cursor with this id, touched; 400 {@code INVALID_QUERY_LOCATOR} when unknown, released or expired. */
    Cursor use(String id, String userId) {
        Cursor cursor = open.get(id);
        long now = clock.millis();
        if (cursor == null || !cursor.userId.equals(userId)) {
            throw invalid();
        }
        if (expired(cursor, now)) {
            open.remove(id);
            throw invalid();
        }
        cursor.lastUsedMillis = now;
        return cursor;
    }

    int size() {
        return open.size();
    }

    private static boolean expired(Cursor cursor, long now) {
        return now - cursor.lastUsedMillis > IDLE_TIMEOUT.toMillis();
    }

    static OrgException invalid() {
        return new OrgException(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
    }
}
