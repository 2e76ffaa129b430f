package dev.lockstep.source.task;

import dev.lockstep.common.Envelope;
import dev.lockstep.common.Version;
import dev.lockstep.source.schema.ObjectSchema;
import java.util.List;
import org.apache.kafka.connect.data.Struct;

/**
 * The {@code source} block of one event (ARCHITECTURE §3): where and when the change happened in Salesforce.
 *
 * @param tsMs commit time (event commit timestamp, or SystemModstamp of a re-read row, or the snapshot time)
 * @param snapshot {@code true}, {@code last} or {@code false}
 */
record SourceBlock(String name, String orgId, String object, long tsMs, String snapshot, String replayId,
        String changeType, String changeOrigin, String transactionKey, Integer sequenceNumber, String commitUser,
        List<String> changedFields, List<String> nulledFields, boolean complete) {

    static final String CONNECTOR = "salesforce";

    Struct toStruct() {
        Struct s = new Struct(ObjectSchema.sourceSchema());
        s.put(Envelope.Source.CONNECTOR, CONNECTOR);
        s.put(Envelope.Source.NAME, name);
        s.put(Envelope.Source.VERSION, Version.get());
        s.put(Envelope.Source.ORG_ID, orgId);
        s.put(Envelope.Source.OBJECT, object);
        s.put(Envelope.Source.TS_MS, tsMs);
        s.put(Envelope.Source.SNAPSHOT, snapshot);
        s.put(Envelope.Source.REPLAY_ID, replayId);
        s.put(Envelope.Source.CHANGE_TYPE, changeType);
        s.put(Envelope.Source.CHANGE_ORIGIN, changeOrigin);
        s.put(Envelope.Source.TRANSACTION_KEY, transactionKey);
        s.put(Envelope.Source.SEQUENCE_NUMBER, sequenceNumber);
        s.put(Envelope.Source.COMMIT_USER, commitUser);
        s.put(Envelope.Source.CHANGED_FIELDS, changedFields);
        s.put(Envelope.Source.NULLED_FIELDS, nulledFields);
        s.put(Envelope.Source.COMPLETE, complete);
        return s;
    }
}
