package dev.lockstep.common;

/**
 * Field names of the Salesforce change event (ARCHITECTURE §3): a Debezium-compatible envelope whose {@code source}
 * block carries Salesforce's change-event header. The source connector writes these names and the transforms read
 * them, so both take them from here.
 */
public final class Envelope {

    public static final String OP = "op";
    public static final String BEFORE = "before";
    public static final String AFTER = "after";
    public static final String SOURCE = "source";
    public static final String TS_MS = "ts_ms";

    /** Values of {@link #OP}. */
    public static final String OP_READ = "r";
    public static final String OP_CREATE = "c";
    public static final String OP_UPDATE = "u";
    public static final String OP_DELETE = "d";

    /** Fields of the {@link #SOURCE} block. */
    public static final class Source {
        /** True when {@code after} holds every mapped field; false for a partial update. */
        public static final String COMPLETE = "complete";
        /** Names of the fields a partial update changed (array of strings). */
        public static final String CHANGED_FIELDS = "changed_fields";
        /** Names of the fields a partial update set to null (array of strings). */
        public static final String NULLED_FIELDS = "nulled_fields";

        private Source() {}
    }

    /** The Salesforce record Id field, the key of every event. */
    public static final String ID = "Id";

    private Envelope() {}
}
