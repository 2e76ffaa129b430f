package dev.lockstep.source.schema;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.Version;
import dev.lockstep.salesforce.client.streaming.ChangeEvent;
import dev.lockstep.salesforce.client.streaming.ChangeEventHeader;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * The {@code source} block of a Salesforce change event (ARCHITECTURE §3): where the change comes from and
 * Salesforce's change-event header. One schema, {@link #SCHEMA}, for every object. Immutable.
 *
 * <p>Build one with {@link #builder}; {@link Builder#event} copies a change event's header.
 *
 * @param connector always {@value Envelope.Source#CONNECTOR_SALESFORCE}
 * @param name the connector's logical name, its topic prefix
 * @param version the Lockstep release
 * @param orgId the Salesforce organization id
 * @param object the sObject API name
 * @param tsMs commit time (epoch ms); for a snapshot or poll read, when the record was read
 * @param snapshot {@value Envelope.Source#SNAPSHOT_TRUE}, {@value Envelope.Source#SNAPSHOT_LAST},
 *     {@value Envelope.Source#SNAPSHOT_FALSE}, or null for streamed changes
 * @param replayId the change event's replay id, base64, or null
 * @param changeType Salesforce's change type (CREATE, UPDATE, DELETE, UNDELETE, GAP_...), null for snapshot or poll
 * @param changeOrigin Salesforce's change origin, or null
 * @param transactionKey the Salesforce transaction, or null
 * @param sequenceNumber the change's position in its transaction, or null
 * @param commitUser the Id of the committing user, or null
 * @param changedFields names of {@code after} fields the change set, or null
 * @param nulledFields names of {@code after} fields the change set to null, or null
 * @param complete true when {@code after} holds every mapped field
 */
public record SourceInfo(String connector, String name, String version, String orgId, String object, long tsMs,
        String snapshot, String replayId, String changeType, String changeOrigin, String transactionKey,
        Integer sequenceNumber, String commitUser, List<String> changedFields, List<String> nulledFields,
        boolean complete) {

    /** The name of {@link #SCHEMA}. */
    public static final String SCHEMA_NAME = "dev.lockstep.salesforce.Source";

    /** The schema of every source block. */
    public static final Schema SCHEMA = SchemaBuilder.struct().name(SCHEMA_NAME)
            .field(Envelope.Source.CONNECTOR, Schema.STRING_SCHEMA)
            .field(Envelope.Source.NAME, Schema.STRING_SCHEMA)
            .field(Envelope.Source.VERSION, Schema.STRING_SCHEMA)
            .field(Envelope.Source.ORG_ID, Schema.STRING_SCHEMA)
            .field(Envelope.Source.OBJECT, Schema.STRING_SCHEMA)
            .field(Envelope.Source.TS_MS, Schema.INT64_SCHEMA)
            .field(Envelope.Source.SNAPSHOT, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.REPLAY_ID, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.CHANGE_TYPE, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.CHANGE_ORIGIN, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.TRANSACTION_KEY, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.SEQUENCE_NUMBER, Schema.OPTIONAL_INT32_SCHEMA)
            .field(Envelope.Source.COMMIT_USER, Schema.OPTIONAL_STRING_SCHEMA)
            .field(Envelope.Source.CHANGED_FIELDS, SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(Envelope.Source.NULLED_FIELDS, SchemaBuilder.array(Schema.STRING_SCHEMA).optional().build())
            .field(Envelope.Source.COMPLETE, Schema.BOOLEAN_SCHEMA)
            .build();

    private static final List<String> SNAPSHOT_VALUES = List.of(Envelope.Source.SNAPSHOT_TRUE,
            Envelope.Source.SNAPSHOT_LAST, Envelope.Source.SNAPSHOT_FALSE);

    public SourceInfo {
        Objects.requireNonNull(connector, "connector");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(orgId, "orgId");
        Objects.requireNonNull(object, "object");
        if (snapshot != null && !SNAPSHOT_VALUES.contains(snapshot)) {
            throw new IllegalArgumentException("snapshot is one of " + SNAPSHOT_VALUES + " or null, not " + snapshot);
        }
        changedFields = changedFields == null ? null : List.copyOf(changedFields);
        nulledFields = nulledFields == null ? null : List.copyOf(nulledFields);
    }

    /**
     * A builder for the changes of one object, with {@code connector} and {@code version} filled in and
     * {@code complete} true.
     *
     * @param name the connector's logical name (topic prefix)
     */
    public static Builder builder(String name, String orgId, String object) {
        return new Builder(name, orgId, object);
    }

    /** This block as a Struct of {@link #SCHEMA}. */
    public Struct toStruct() {
        return new Struct(SCHEMA)
                .put(Envelope.Source.CONNECTOR, connector)
                .put(Envelope.Source.NAME, name)
                .put(Envelope.Source.VERSION, version)
                .put(Envelope.Source.ORG_ID, orgId)
                .put(Envelope.Source.OBJECT, object)
                .put(Envelope.Source.TS_MS, tsMs)
                .put(Envelope.Source.SNAPSHOT, snapshot)
                .put(Envelope.Source.REPLAY_ID, replayId)
                .put(Envelope.Source.CHANGE_TYPE, changeType)
                .put(Envelope.Source.CHANGE_ORIGIN, changeOrigin)
                .put(Envelope.Source.TRANSACTION_KEY, transactionKey)
                .put(Envelope.Source.SEQUENCE_NUMBER, sequenceNumber)
                .put(Envelope.Source.COMMIT_USER, commitUser)
                .put(Envelope.Source.CHANGED_FIELDS, changedFields)
                .put(Envelope.Source.NULLED_FIELDS, nulledFields)
                .put(Envelope.Source.COMPLETE, complete);
    }

    /**
     * A source block read back from its Struct.
     *
     * @throws DataException when {@code struct} is not of {@link #SCHEMA}
     */
    public static SourceInfo fromStruct(Struct struct) {
        if (struct == null || !SCHEMA.equals(struct.schema())) {
            throw new DataException("Not a " + SCHEMA_NAME + " struct: " + (struct == null ? null : struct.schema()));
        }
        return new SourceInfo(
                struct.getString(Envelope.Source.CONNECTOR),
                struct.getString(Envelope.Source.NAME),
                struct.getString(Envelope.Source.VERSION),
                struct.getString(Envelope.Source.ORG_ID),
                struct.getString(Envelope.Source.OBJECT),
                struct.getInt64(Envelope.Source.TS_MS),
                struct.getString(Envelope.Source.SNAPSHOT),
                struct.getString(Envelope.Source.REPLAY_ID),
                struct.getString(Envelope.Source.CHANGE_TYPE),
                struct.getString(Envelope.Source.CHANGE_ORIGIN),
                struct.getString(Envelope.Source.TRANSACTION_KEY),
                struct.getInt32(Envelope.Source.SEQUENCE_NUMBER),
                struct.getString(Envelope.Source.COMMIT_USER),
                struct.<String>getArray(Envelope.Source.CHANGED_FIELDS),
                struct.<String>getArray(Envelope.Source.NULLED_FIELDS),
                struct.getBoolean(Envelope.Source.COMPLETE));
    }

    /** Builds a {@link SourceInfo}; not thread-safe, one per record. */
    public static final class Builder {

        private final String name;
        private final String orgId;
        private final String object;
        private long tsMs;
        private String snapshot;
        private String replayId;
        private String changeType;
        private String changeOrigin;
        private String transactionKey;
        private Integer sequenceNumber;
        private String commitUser;
        private List<String> changedFields;
        private List<String> nulledFields;
        private boolean complete = true;

        private Builder(String name, String orgId, String object) {
            this.name = name;
            this.orgId = orgId;
            this.object = object;
        }

        /**
         * The header of a change event: commit time, replay id, change type and origin, transaction key, sequence
         * number and commit user. Changed and nulled fields are left to the caller, which maps the header's names
         * to {@code after} fields with {@link ObjectSchema#afterFieldNames}.
         */
        public Builder event(ChangeEvent event) {
            ChangeEventHeader h = event.header();
            tsMs = h.commitTimestamp() == null ? 0 : h.commitTimestamp().toEpochMilli();
            replayId = event.replayId() == null ? null : event.replayId().toBase64();
            changeType = h.changeType();
            changeOrigin = h.changeOrigin();
            transactionKey = h.transactionKey();
            sequenceNumber = h.sequenceNumber();
            commitUser = h.commitUser();
            return this;
        }

        public Builder tsMs(long tsMs) {
            this.tsMs = tsMs;
            return this;
        }

        /** {@value Envelope.Source#SNAPSHOT_TRUE}, {@value Envelope.Source#SNAPSHOT_LAST}, ... or null. */
        public Builder snapshot(String snapshot) {
            this.snapshot = snapshot;
            return this;
        }

        /** The replay id, base64 ({@code ReplayId.toBase64()}). */
        public Builder replayId(String replayId) {
            this.replayId = replayId;
            return this;
        }

        public Builder changeType(String changeType) {
            this.changeType = changeType;
            return this;
        }

        public Builder changeOrigin(String changeOrigin) {
            this.changeOrigin = changeOrigin;
            return this;
        }

        public Builder transactionKey(String transactionKey) {
            this.transactionKey = transactionKey;
            return this;
        }

        public Builder sequenceNumber(Integer sequenceNumber) {
            this.sequenceNumber = sequenceNumber;
            return this;
        }

        public Builder commitUser(String commitUser) {
            this.commitUser = commitUser;
            return this;
        }

        /** Names of {@code after} fields (see {@link ObjectSchema#afterFieldNames}). */
        public Builder changedFields(List<String> changedFields) {
            this.changedFields = changedFields;
            return this;
        }

        /** Names of {@code after} fields (see {@link ObjectSchema#afterFieldNames}). */
        public Builder nulledFields(List<String> nulledFields) {
            this.nulledFields = nulledFields;
            return this;
        }

        public Builder complete(boolean complete) {
            this.complete = complete;
            return this;
        }

        public SourceInfo build() {
            return new SourceInfo(Envelope.Source.CONNECTOR_SALESFORCE, name, Version.get(), orgId, object, tsMs,
                    snapshot, replayId, changeType, changeOrigin, transactionKey, sequenceNumber, commitUser,
                    changedFields, nulledFields, complete);
        }
    }
}
