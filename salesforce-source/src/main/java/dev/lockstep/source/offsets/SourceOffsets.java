package dev.lockstep.source.offsets;

import dev.lockstep.salesforce.client.streaming.ReplayId;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The source partitions and offsets of the Salesforce source connector (ARCHITECTURE §3, "Offsets"), shared by the
 * task that writes them, {@code alterOffsets()} that checks what an operator writes, and the tests.
 *
 * <p>Partition: {@code {v, org, object}}, one per Salesforce object. Offset: a {@link Position}: the phase the
 * object's reader was in and what it needs to resume there.
 * <ul>
 *   <li>{@code snapshot}: {@code snapshot_started} (epoch ms, the re-sync after the snapshot starts there minus the
 *       margin), {@code last_id} (REST keyset) or {@code job}/{@code locator}/{@code row} (Bulk API 2.0 job, the
 *       chunk being read and the rows of it already emitted), {@code done}/{@code total}.</li>
 *   <li>{@code resync}: {@code systemmodstamp} (epoch ms) and {@code last_id}: the keyset cursor of a re-read of
 *       every record modified since then; optionally {@code replay_id}, the stream position to resume after it.</li>
 *   <li>{@code stream}: {@code replay_id} (base64, opaque) and {@code commit_ts} (epoch ms of that event).</li>
 *   <li>{@code poll}: {@code systemmodstamp}, {@code last_id} and {@code deleted_since} (epoch ms, the start of
 *       the next getDeleted window).</li>
 * </ul>
 */
public final class SourceOffsets {

    public static final int VERSION = 1;

    public static final String PARTITION_VERSION = "v";
    public static final String PARTITION_ORG = "org";
    public static final String PARTITION_OBJECT = "object";

    public static final String PHASE = "phase";
    public static final String SNAPSHOT_STARTED = "snapshot_started";
    public static final String LAST_ID = "last_id";
    public static final String JOB = "job";
    public static final String LOCATOR = "locator";
    public static final String ROW = "row";
    public static final String DONE = "done";
    public static final String TOTAL = "total";
    public static final String SYSTEMMODSTAMP = "systemmodstamp";
    public static final String REPLAY_ID = "replay_id";
    public static final String COMMIT_TS = "commit_ts";
    public static final String DELETED_SINCE = "deleted_since";

    private static final Pattern ORG_ID = Pattern.compile("00D[0-9A-Za-z]{12}([0-9A-Za-z]{3})?");
    private static final Pattern OBJECT = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");
    private static final Pattern RECORD_ID = Pattern.compile("[0-9A-Za-z]{15}([0-9A-Za-z]{3})?");

    /** What an object's reader was doing. */
    public enum Phase {
        SNAPSHOT, RESYNC, STREAM, POLL;

        public String value() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        static Phase parse(Object value) {
            for (Phase p : values()) {
                if (p.value().equals(value)) {
                    return p;
                }
            }
            throw new InvalidOffsetException(PHASE + " must be one of snapshot, resync, stream, poll; was " + value);
        }
    }

    private SourceOffsets() {}

    /**
     * The partition of one object of one org.
     *
     * <p>A {@link HashMap} on purpose: Connect finds offsets by the partition's serialized bytes, and its offsets
     * REST API ({@code GET/PATCH/DELETE /connectors/<name>/offsets}) reads partitions back through the JSON converter
     * into a {@code HashMap} and serializes them again in that map's key order. A partition written in another key
     * order is then never found: GET shows a null offset, and PATCH and DELETE write offsets the task does not see.
     */
    public static Map<String, Object> partition(String orgId, String object) {
        Map<String, Object> p = new HashMap<>();
        p.put(PARTITION_VERSION, VERSION);
        p.put(PARTITION_ORG, orgId);
        p.put(PARTITION_OBJECT, object);
        return p;
    }

    /**
     * Checks a partition as Connect gives it back (numbers may come back as Long).
     *
     * @return the object it names
     * @throws InvalidOffsetException naming what is wrong
     */
    public static String validatePartition(Map<String, ?> partition) {
        if (partition == null) {
            throw new InvalidOffsetException("The source partition is missing");
        }
        Object v = partition.get(PARTITION_VERSION);
        if (!(v instanceof Number n) || n.intValue() != VERSION) {
            throw new InvalidOffsetException("Partition " + partition + ": '" + PARTITION_VERSION + "' must be "
                    + VERSION);
        }
        if (!(partition.get(PARTITION_ORG) instanceof String org) || !ORG_ID.matcher(org).matches()) {
            throw new InvalidOffsetException("Partition " + partition + ": '" + PARTITION_ORG
                    + "' must be a Salesforce org id (00D...)");
        }
        if (!(partition.get(PARTITION_OBJECT) instanceof String object) || !OBJECT.matcher(object).matches()) {
            throw new InvalidOffsetException("Partition " + partition + ": '" + PARTITION_OBJECT
                    + "' must be an object API name");
        }
        if (partition.size() != 3) {
            throw new InvalidOffsetException("Partition " + partition + " has keys other than v, org, object");
        }
        return object;
    }

    /**
     * Where an object's reader resumes. Fields a phase does not use are null.
     *
     * @param snapshotStarted start of the snapshot window (snapshot phase)
     * @param lastId keyset cursor: last Id emitted (snapshot over REST, resync, poll)
     * @param job, locator, row Bulk API 2.0 snapshot position
     * @param systemModstamp keyset cursor time (resync, poll)
     * @param replayId stream position (stream; resync when it interrupted a stream)
     * @param commitTs commit time of the event at {@code replayId}
     * @param deletedSince start of the next getDeleted window (poll)
     */
    public record Position(Phase phase, Instant snapshotStarted, String lastId, String job, String locator, Long row,
            Long done, Long total, Instant systemModstamp, ReplayId replayId, Instant commitTs,
            Instant deletedSince) {

        public Position {
            Objects.requireNonNull(phase, "phase");
        }

        public static Position snapshotRest(Instant started, String lastId, long done, long total) {
            return new Position(Phase.SNAPSHOT, started, lastId, null, null, null, done, total, null, null, null,
                    null);
        }

        public static Position snapshotBulk(Instant started, String job, String locator, long row, long done,
                long total) {
            return new Position(Phase.SNAPSHOT, started, null, job, locator, row, done, total, null, null, null, null);
        }

        public static Position resync(Instant systemModstamp, String lastId, ReplayId resumeAfter, Instant commitTs) {
            return new Position(Phase.RESYNC, null, lastId, null, null, null, null, null, systemModstamp,
                    resumeAfter, commitTs, null);
        }

        public static Position stream(ReplayId replayId, Instant commitTs) {
            Objects.requireNonNull(replayId, "replayId");
            return new Position(Phase.STREAM, null, null, null, null, null, null, null, null, replayId, commitTs,
                    null);
        }

        public static Position poll(Instant systemModstamp, String lastId, Instant deletedSince) {
            return new Position(Phase.POLL, null, lastId, null, null, null, null, null, systemModstamp, null, null,
                    deletedSince);
        }

        /** The offset map Connect stores: only the keys this phase uses. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put(PHASE, phase.value());
            putMillis(m, SNAPSHOT_STARTED, snapshotStarted);
            putIfSet(m, LAST_ID, lastId);
            putIfSet(m, JOB, job);
            putIfSet(m, LOCATOR, locator);
            putIfSet(m, ROW, row);
            putIfSet(m, DONE, done);
            putIfSet(m, TOTAL, total);
            putMillis(m, SYSTEMMODSTAMP, systemModstamp);
            putIfSet(m, REPLAY_ID, replayId == null ? null : replayId.toBase64());
            putMillis(m, COMMIT_TS, commitTs);
            putMillis(m, DELETED_SINCE, deletedSince);
            return m;
        }

        private static void putIfSet(Map<String, Object> m, String key, Object value) {
            if (value != null) {
                m.put(key, value);
            }
        }

        private static void putMillis(Map<String, Object> m, String key, Instant value) {
            if (value != null) {
                m.put(key, value.toEpochMilli());
            }
        }

        /**
         * Reads and checks an offset map (as stored, or as an operator PATCHes it through the Connect REST API).
         *
         * @throws InvalidOffsetException naming the key and what it must be
         */
        public static Position parse(Map<String, ?> offset) {
            Phase phase = Phase.parse(offset.get(PHASE));
            Position p = new Position(phase, millis(offset, SNAPSHOT_STARTED), id(offset, LAST_ID),
                    id(offset, JOB), text(offset, LOCATOR), count(offset, ROW), count(offset, DONE),
                    count(offset, TOTAL), millis(offset, SYSTEMMODSTAMP), parseReplayId(offset), millis(offset, COMMIT_TS),
                    millis(offset, DELETED_SINCE));
            switch (phase) {
                case SNAPSHOT -> {
                    require(p.snapshotStarted != null, SNAPSHOT_STARTED, "a snapshot offset");
                    require(p.job == null || p.row != null, ROW, "a Bulk snapshot offset");
                }
                case RESYNC -> require(p.systemModstamp != null, SYSTEMMODSTAMP, "a resync offset");
                case STREAM -> require(p.replayId != null, REPLAY_ID, "a stream offset");
                case POLL -> require(p.systemModstamp != null, SYSTEMMODSTAMP, "a poll offset");
                default -> throw new IllegalStateException();
            }
            return p;
        }

        private static void require(boolean ok, String key, String what) {
            if (!ok) {
                throw new InvalidOffsetException(what + " needs '" + key + "'");
            }
        }
    }

    private static Instant millis(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.longValue() >= 0) {
            return Instant.ofEpochMilli(n.longValue());
        }
        throw new InvalidOffsetException("'" + key + "' must be epoch milliseconds (a non-negative number); was " + v);
    }

    private static Long count(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof Number n && n.longValue() >= 0) {
            return n.longValue();
        }
        throw new InvalidOffsetException("'" + key + "' must be a non-negative number; was " + v);
    }

    private static String text(Map<String, ?> offset, String key) {
        Object v = offset.get(key);
        if (v == null || v instanceof String s && !s.isEmpty()) {
            return (String) v;
        }
        throw new InvalidOffsetException("'" + key + "' must be a non-empty string; was " + v);
    }

    private static String id(Map<String, ?> offset, String key) {
        String v = text(offset, key);
        if (v != null && !RECORD_ID.matcher(v).matches()) {
            throw new InvalidOffsetException("'" + key + "' must be a Salesforce Id (15 or 18 letters and digits); was "
                    + v);
        }
        return v;
    }

    private static ReplayId parseReplayId(Map<String, ?> offset) {
        String v = text(offset, REPLAY_ID);
        if (v == null) {
            return null;
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(v);
            if (bytes.length == 0) {
                throw new IllegalArgumentException("empty");
            }
            return ReplayId.of(bytes);
        } catch (IllegalArgumentException e) {
            throw new InvalidOffsetException("'" + REPLAY_ID + "' must be a replay id in base64 as the connector "
                    + "wrote it; was " + v);
        }
    }

    /** An offset or partition that cannot be resumed from, with what is wrong in it. */
    public static final class InvalidOffsetException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public InvalidOffsetException(String message) {
            super(message);
        }
    }
}
