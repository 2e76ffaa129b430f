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
        /** Which connector wrote the event: always {@value #CONNECTOR_SALESFORCE}. */
        public static final String CONNECTOR = "connector";
        /** The value of {@link #CONNECTOR}. */
        public static final String CONNECTOR_SALESFORCE = "salesforce";
        /** The connector's logical name, its topic prefix. */
        public static final String NAME = "name";
        /** The Lockstep release that wrote the event. */
        public static final String VERSION = "version";
        /** The Salesforce organization id. */
        public static final String ORG_ID = "org_id";
        /** The sObject API name, e.g. {@code Account}. */
        public static final String OBJECT = "object";
        /** When Salesforce committed the change (epoch milliseconds); for a snapshot read, when it was read. */
        public static final String TS_MS = "ts_ms";
        /** {@value #SNAPSHOT_TRUE}, {@value #SNAPSHOT_LAST} or {@value #SNAPSHOT_FALSE}; null for streamed changes. */
        public static final String SNAPSHOT = "snapshot";
        public static final String SNAPSHOT_TRUE = "true";
        public static final String SNAPSHOT_LAST = "last";
        public static final String SNAPSHOT_FALSE = "false";
        /** The change event's replay id, base64; null when no event was involved. */
        public static final String REPLAY_ID = "replay_id";
        /** Salesforce's change type (CREATE, UPDATE, DELETE, UNDELETE, GAP_...); null for snapshot and poll reads. */
        public static final String CHANGE_TYPE = "change_type";
        /** Salesforce's change origin, {@code com/salesforce/api/<api>/<version>;client=<id>}. */
        public static final String CHANGE_ORIGIN = "change_origin";
        /** The Salesforce transaction the change belongs to. */
        public static final String TRANSACTION_KEY = "transaction_key";
        /** The 1-based position of the change within its transaction. */
        public static final String SEQUENCE_NUMBER = "sequence_number";
        /** The Id of the user who committed the change. */
        public static final String COMMIT_USER = "commit_user";
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
