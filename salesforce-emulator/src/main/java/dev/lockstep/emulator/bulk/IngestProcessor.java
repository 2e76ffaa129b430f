package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.bulk.ColumnBindings.Bound;
import dev.lockstep.emulator.bulk.ColumnBindings.Column;
import dev.lockstep.emulator.bulk.ColumnBindings.Parent;
import dev.lockstep.emulator.bulk.ColumnBindings.Plain;
import dev.lockstep.emulator.bulk.IngestJob.Outcome;
import dev.lockstep.emulator.bulk.IngestJob.Row;
import dev.lockstep.emulator.control.Faults;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.RecordError;
import dev.lockstep.emulator.org.RecordException;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Values;
import dev.lockstep.emulator.org.WriteContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes a closed ingest job on a Bulk worker thread: reads its CSV, binds the header to fields, then writes the
 * records {@value #CHUNK} to an org transaction. Each record succeeds or fails on its own (a rejected record does
 * not roll back the others of its chunk), as Salesforce processes Bulk data in chunks of 200 records. An abort
 * stops processing at the next chunk; the records not reached stay unprocessed.
 * <p>
 * Per record: empty values are ignored (never written, so an update keeps the field), {@code #N/A} sets the field
 * to null, values are converted with {@link Values#fromText} (a value that does not convert fails the record),
 * relationship columns resolve their parent, and an armed row-lock fault fails the record with
 * {@code UNABLE_TO_LOCK_ROW}. Writes name the job's creator and its {@code Sforce-Call-Options} client, with API
 * kind {@value #API_KIND}.
 */
final class IngestProcessor implements Runnable {

    /** Records per org transaction. */
    static final int CHUNK = 200;

    /** The {@link WriteContext#apiKind()} of Bulk API 2.0 writes. */
    static final String API_KIND = "Bulk API 2.0";

    private static final Logger LOG = LoggerFactory.getLogger(IngestProcessor.class);

    private final BulkApi bulk;
    private final IngestJob job;
    private final Org org;
    private final Faults faults;
    private SObjectDef def;
    private Bound bound;
    private FieldDef externalIdField;

    IngestProcessor(BulkApi bulk, IngestJob job) {
        this.bulk = bulk;
        this.job = job;
        this.org = bulk.emulator().org();
        this.faults = bulk.emulator().faults();
    }

    @Override
    public void run() {
        if (!bulk.awaitRelease() || !job.start(JobState.UPLOAD_COMPLETE)) {
            return;
        }
        long started = System.nanoTime();
        try {
            process();
        } catch (CsvException e) {
            job.fail(e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("Bulk ingest job {} failed", job.id(), e);
            job.fail("InternalServerError : " + e.getMessage());
        } finally {
            job.addProcessed(0, (System.nanoTime() - started) / 1_000_000);
        }
    }

    private void process() throws CsvException {
        IngestJob.Table table = job.table();
        if (table.error() != null) {
            throw new CsvException(table.error());
        }
        if (table.columns().isEmpty()) {
            throw new CsvException("InvalidBatch : The job has no data: upload CSV data before closing the job");
        }
        def = org.schema().object(job.object()).orElseThrow(() ->
                new CsvException("InvalidJob : Unable to find object: " + job.object()));
        bound = ColumnBindings.bind(org.schema(), def, job.operation(), job.externalIdFieldName(),
                table.columns());
        if (job.externalIdFieldName() != null) {
            externalIdField = def.field(job.externalIdFieldName()).orElseThrow(() ->
                    new CsvException("InvalidJob : Field name not found : " + job.externalIdFieldName()));
        }
        WriteContext context = new WriteContext(job.createdById(), API_KIND, job.callOptionsClient(),
                job.apiVersion() + ".0");
        List<Row> rows = table.rows();
        for (int from = 0; from < rows.size(); from += CHUNK) {
            if (!job.running()) {
                return;
            }
            List<Row> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
            long started = System.nanoTime();
            List<Outcome> outcomes = org.write(context, txn -> writeChunk(txn, chunk));
            job.recordChunk(from, outcomes, (System.nanoTime() - started) / 1_000_000);
        }
        job.complete();
    }

    private List<Outcome> writeChunk(Org.Txn txn, List<Row> chunk) {
        // Salesforce refuses an upsert key twice in one batch, since the order of the two writes is undefined.
        Set<String> duplicateKeys = externalIdField == null ? Set.of() : duplicateKeys(chunk);
        List<Outcome> outcomes = new ArrayList<>(chunk.size());
        for (Row row : chunk) {
            outcomes.add(writeRow(txn, row, duplicateKeys));
        }
        return outcomes;
    }

    private Outcome writeRow(Org.Txn txn, Row row, Set<String> duplicateKeys) {
        String idText = bound.idColumn() < 0 ? "" : row.values[bound.idColumn()].trim();
        // A failed record's sf__Id is the Id the client named; inserts and upserts by External ID named none.
        String resultId = job.operation().equals("insert") || (job.operation().equals("upsert")
                && !externalIdField.name().equals("Id")) ? "" : idText;
        try {
            if (row.extraValues > 0) {
                int headerColumns = row.values.length;
                throw new RecordException(RecordError.of("INVALID_FIELD", "The row has "
                        + (headerColumns + row.extraValues) + " values but the header has " + headerColumns
                        + " columns"));
            }
            switch (job.operation()) {
                case "insert": {
                    Map<String, Object> values = values(row, -1);
                    lockRow(null);
                    return Outcome.succeeded(txn.create(def.name(), values), true);
                }
                case "update": {
                    String id = targetId(idText, "an update");
                    resultId = id;
                    Map<String, Object> values = values(row, bound.idColumn());
                    lockRow(id);
                    txn.update(id, values);
                    return Outcome.succeeded(id, false);
                }
                case "upsert":
                    return upsert(txn, row, duplicateKeys);
                case "delete":
                case "hardDelete": {
                    String id = targetId(idText, "a delete");
                    resultId = id;
                    lockRow(id);
                    if (job.operation().equals("delete")) {
                        txn.delete(id);
                    } else {
                        txn.hardDelete(id);
                    }
                    return Outcome.succeeded(id, false);
                }
                default:
                    throw new IllegalStateException("Unknown ingest operation " + job.operation());
            }
        } catch (RecordException e) {
            return Outcome.failed(resultId, format(e.errors()));
        } catch (OrgException e) {
            return Outcome.failed(resultId, format(List.of(new RecordError(e.errorCode(), e.getMessage(),
                    e.fields()))));
        }
    }

    private Outcome upsert(Org.Txn txn, Row row, Set<String> duplicateKeys) {
        String text = bound.externalIdColumn() < 0 ? "" : row.values[bound.externalIdColumn()];
        if (text.isEmpty() || text.equals("#N/A")) {
            throw new RecordException(RecordError.of("MISSING_ARGUMENT", externalIdField.name()
                    + " not specified"));
        }
        Object key = convert(externalIdField, text, bound.externalIdColumn());
        if (duplicateKeys.contains(keyOf(text))) {
            throw new RecordException(RecordError.of("DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: "
                    + text, externalIdField.name()));
        }
        Map<String, Object> values = values(row, -1);
        lockRow(null);
        Org.UpsertResult result = txn.upsert(def.name(), externalIdField.name(), key, values);
        return Outcome.succeeded(result.id(), result.created());
    }

    /** Upsert keys that occur more than once in a chunk: all their records fail, none is written twice. */
    private Set<String> duplicateKeys(List<Row> chunk) {
        if (bound.externalIdColumn() < 0) {
            return Set.of();
        }
        Map<String, Integer> counts = new HashMap<>();
        for (Row row : chunk) {
            String text = row.values[bound.externalIdColumn()];
            if (!text.isEmpty() && !text.equals("#N/A")) {
                counts.merge(keyOf(text), 1, Integer::sum);
            }
        }
        Set<String> duplicates = new HashSet<>();
        counts.forEach((key, count) -> {
            if (count > 1) {
                duplicates.add(key);
            }
        });
        return duplicates;
    }

    /** External IDs match case-insensitively unless the field is case-sensitive; Ids on their 18-char form. */
    private String keyOf(String text) {
        if (externalIdField.name().equals("Id")) {
            String id = Ids.normalize(text.trim());
            return id == null ? text : id;
        }
        return externalIdField.caseSensitive() ? text : text.toLowerCase(Locale.ROOT);
    }

    /** The record's values by field API name, from every column but {@code skipColumn}. */
    private Map<String, Object> values(Row row, int skipColumn) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column column : bound.columns()) {
            if (column.index() == skipColumn) {
                continue;
            }
            String text = row.values[column.index()];
            if (text.isEmpty()) {
                continue;
            }
            boolean clear = text.equals("#N/A");
            if (column instanceof Plain plain) {
                values.put(plain.field().name(), clear ? null : convert(plain.field(), text, plain.index()));
            } else if (column instanceof Parent parent) {
                values.put(parent.reference().name(), clear ? null : resolve(parent, text));
            }
        }
        return values;
    }

    private static Object convert(FieldDef field, String text, int column) {
        try {
            return Values.fromText(field, text);
        } catch (IllegalArgumentException e) {
            throw new RecordException(RecordError.of("INVALID_FIELD", "Failed to deserialize field at col "
                    + (column + 1) + ". Due to, '" + text + "' is not a valid value for the type "
                    + field.type().soapType(), field.name()));
        }
    }

    /** The Id of the one parent whose indexed field has {@code text}. */
    private String resolve(Parent parent, String text) {
        List<String> ids;
        try {
            ids = org.matchingIds(parent.parent(), parent.key(), Values.fromText(parent.key(), text));
        } catch (IllegalArgumentException e) {
            ids = List.of();
        }
        String where = " for field " + parent.key().name() + " in entity " + parent.parent().name();
        if (ids.isEmpty()) {
            throw new RecordException(RecordError.of("INVALID_FIELD", "Foreign key external ID: " + text
                    + " not found" + where));
        }
        if (ids.size() > 1) {
            throw new RecordException(RecordError.of("INVALID_FIELD", "Foreign key external ID: " + text
                    + " matched more than one record" + where));
        }
        return ids.get(0);
    }

    /** The record an update or delete names: an Id of the job's object. */
    private String targetId(String text, String call) {
        if (text.isEmpty()) {
            throw new RecordException(RecordError.of("MISSING_ARGUMENT", "Id not specified in " + call + " call"));
        }
        String id = Ids.normalize(text);
        if (id == null || !id.startsWith(def.keyPrefix())) {
            throw new RecordException(RecordError.of("MALFORMED_ID", def.label() + " ID: id value of incorrect type: "
                    + text, "Id"));
        }
        return id;
    }

    private void lockRow(String id) {
        if (faults.takeRowLock()) {
            throw new RecordException(RecordError.of("UNABLE_TO_LOCK_ROW",
                    "unable to obtain exclusive access to this record" + (id == null ? "" : " or 1 records: " + id)));
        }
    }

    /**
     * {@code sf__Error}: {@code STATUS_CODE:message:} then each field followed by a space, then {@code --}; so
     * {@code REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --}, and {@code ...:--} without
     * fields. Several errors are separated by a space.
     */
    static String format(List<RecordError> errors) {
        StringBuilder text = new StringBuilder();
        for (RecordError error : errors) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(error.statusCode()).append(':').append(error.message()).append(':');
            for (String field : error.fields()) {
                text.append(field).append(' ');
            }
            text.append("--");
        }
        return text.toString();
    }
}
