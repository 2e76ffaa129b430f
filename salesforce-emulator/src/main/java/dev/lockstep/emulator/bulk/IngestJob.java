package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.OrgClock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An ingest job: its options, the CSV uploads it received while Open, and once they are read, one {@link Row} per
 * uploaded record with the outcome processing gave it (none yet means unprocessed).
 */
final class IngestJob extends BulkJob {

    /** The outcome of one record: success (with Id and whether it was created) or failure (with sf__Error). */
    record Outcome(boolean success, String id, boolean created, String error) {

        static Outcome succeeded(String id, boolean created) {
            return new Outcome(true, id, created, null);
        }

        static Outcome failed(String id, String error) {
            return new Outcome(false, id == null ? "" : id, false, error);
        }
    }

    /**
     * One uploaded record: its values aligned with {@link Table#columns} (empty where its upload had no such
     * column), how many values it had beyond its header, and its outcome once processed.
     */
    static final class Row {
        final String[] values;
        final int extraValues;
        /** Written by the processing thread, read by result downloads without the job's lock. */
        volatile Outcome outcome;

        Row(String[] values, int extraValues) {
            this.values = values;
            this.extraValues = extraValues;
        }
    }

    /**
     * The uploads read as one table: columns are the union of the uploads' headers (case-insensitively, spelled
     * as first seen), so several PUTs with different headers still give one result file. {@code error} is set
     * when the CSV cannot be read, and the job then fails with it.
     */
    record Table(List<String> columns, List<Row> rows, String error) {}

    private final String externalIdFieldName;
    private final String assignmentRuleId;
    private final String callOptionsClient;
    private final List<byte[]> uploads = new ArrayList<>();
    private final Object readingLock = new Object();
    private long numberRecordsFailed;
    private long apiActiveProcessingTime;
    private volatile Table table;

    IngestJob(String id, long sequence, String operation, String object, String externalIdFieldName,
            String assignmentRuleId, String createdById, String callOptionsClient, int apiVersion,
            ColumnDelimiter delimiter, LineEnding lineEnding, OrgClock clock) {
        super(id, sequence, operation, object, createdById, apiVersion, delimiter, lineEnding, JobState.OPEN, clock);
        this.externalIdFieldName = externalIdFieldName;
        this.assignmentRuleId = assignmentRuleId;
        this.callOptionsClient = callOptionsClient;
    }

    @Override
    String jobType() {
        return "V2Ingest";
    }

    String externalIdFieldName() {
        return externalIdFieldName;
    }

    /** The {@code Sforce-Call-Options} client of the request that created the job, if it sent one. */
    String callOptionsClient() {
        return callOptionsClient;
    }

    /** Adds an upload; only an Open job takes data. */
    synchronized void upload(byte[] csv) {
        if (state() != JobState.OPEN) {
            throw BulkErrors.invalidJobState("Unable to upload data: the job is in state " + state().wire()
                    + "; data can only be uploaded while the job is Open");
        }
        uploads.add(csv);
    }

    /** Open → UploadComplete: the data is complete and processing may start. */
    synchronized void close() {
        if (state() != JobState.OPEN) {
            throw BulkErrors.invalidJobState("Unable to set the state to UploadComplete: the job is in state "
                    + state().wire() + ", not Open");
        }
        moveTo(JobState.UPLOAD_COMPLETE);
    }

    /** Aborts a job that has not ended; records not processed yet stay unprocessed. */
    synchronized void abort() {
        if (state().terminal()) {
            throw BulkErrors.invalidJobState("Unable to abort the job: it is already in state " + state().wire());
        }
        moveTo(JobState.ABORTED);
    }

    /** Only jobs that are closed and not being processed can be deleted. */
    synchronized void checkDeletable() {
        JobState state = state();
        if (state == JobState.OPEN || state == JobState.IN_PROGRESS) {
            throw BulkErrors.invalidJobState("Unable to delete the job: it is in state " + state.wire()
                    + "; only jobs in state UploadComplete, JobComplete, Aborted or Failed can be deleted");
        }
    }

    /**
     * The uploads read as one table, read on first use (once the job is no longer Open) and kept; the raw uploads
     * are dropped then. Reading a large upload takes a while, so it holds its own lock, not the job's: status
     * requests go on meanwhile.
     */
    Table table() {
        synchronized (readingLock) {
            if (table == null) {
                List<byte[]> data;
                synchronized (this) {
                    data = List.copyOf(uploads);
                    uploads.clear();
                }
                table = read(data);
            }
            return table;
        }
    }

    private Table read(List<byte[]> data) {
        List<String> columns = new ArrayList<>();
        Map<String, Integer> columnIndex = new HashMap<>();
        List<CsvReader.Table> parsed = new ArrayList<>();
        try {
            for (byte[] upload : data) {
                CsvReader.Table t = CsvReader.parse(upload, delimiter(), lineEnding());
                parsed.add(t);
                for (String name : t.header()) {
                    columnIndex.computeIfAbsent(name.toLowerCase(Locale.ROOT), k -> {
                        columns.add(name);
                        return columns.size() - 1;
                    });
                }
            }
        } catch (CsvException e) {
            return new Table(List.of(), List.of(), e.getMessage());
        }
        List<Row> rows = new ArrayList<>();
        for (CsvReader.Table t : parsed) {
            int[] target = new int[t.header().size()];
            for (int c = 0; c < target.length; c++) {
                target[c] = columnIndex.get(t.header().get(c).toLowerCase(Locale.ROOT));
            }
            for (String[] record : t.rows()) {
                String[] values = new String[columns.size()];
                Arrays.fill(values, "");
                int known = Math.min(record.length, target.length);
                for (int c = 0; c < known; c++) {
                    values[target[c]] = record[c];
                }
                rows.add(new Row(values, Math.max(0, record.length - target.length)));
            }
        }
        return new Table(List.copyOf(columns), rows, null);
    }

    /** Records the outcomes of a processed chunk starting at row {@code from}. */
    synchronized void recordChunk(int from, List<Outcome> outcomes, long millis) {
        List<Row> rows = table.rows();
        long failed = 0;
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome outcome = outcomes.get(i);
            rows.get(from + i).outcome = outcome;
            if (!outcome.success()) {
                failed++;
            }
        }
        numberRecordsFailed += failed;
        apiActiveProcessingTime += millis;
        addProcessed(outcomes.size(), 0);
    }

    /** True while processing may go on: the job was neither aborted nor deleted. */
    synchronized boolean running() {
        return state() == JobState.IN_PROGRESS && !deleted();
    }

    @Override
    synchronized Map<String, Object> info(Detail detail) {
        Map<String, Object> info = head();
        info.put("externalIdFieldName", externalIdFieldName);
        if (assignmentRuleId != null) {
            info.put("assignmentRuleId", assignmentRuleId);
        }
        info.put("concurrencyMode", "Parallel");
        info.put("contentType", "CSV");
        info.put("apiVersion", apiVersionNumber());
        if (detail != Detail.CREATED) {
            info.put("jobType", jobType());
        }
        info.put("contentUrl", "services/data/v" + apiVersion() + ".0/jobs/ingest/" + id() + "/batches");
        info.put("lineEnding", lineEnding().name());
        info.put("columnDelimiter", delimiter().name());
        if (detail == Detail.FULL) {
            info.put("numberRecordsProcessed", numberRecordsProcessed());
            info.put("numberRecordsFailed", numberRecordsFailed);
            info.put("retries", 0);
            info.put("totalProcessingTime", totalProcessingTime());
            info.put("apiActiveProcessingTime", apiActiveProcessingTime);
            info.put("apexProcessingTime", 0);
            if (errorMessage() != null) {
                info.put("errorMessage", errorMessage());
            }
        }
        return info;
    }
}
