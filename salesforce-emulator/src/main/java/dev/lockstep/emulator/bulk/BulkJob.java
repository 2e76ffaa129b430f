package dev.lockstep.emulator.bulk;

import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.Values;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ingest and query jobs share: identity, format options, state with its time stamp, and the JobInfo fields
 * common to both. State changes are synchronized on the job; HTTP handlers and the processing thread meet here.
 */
abstract class BulkJob {

    /** How much of JobInfo an answer carries. */
    enum Detail {
        /** The answer to create and to a state change: no job type, no counters. */
        CREATED,
        /** An entry of Get All Jobs: adds {@code jobType}. */
        LISTED,
        /** Get Job Info: every field, counters included. */
        FULL
    }

    private final String id;
    private final long sequence;
    private final String operation;
    private final String createdById;
    private final Instant createdDate;
    private final int apiVersion;
    private final ColumnDelimiter delimiter;
    private final LineEnding lineEnding;
    private final OrgClock clock;
    private String object;
    private JobState state;
    private Instant systemModstamp;
    private String errorMessage;
    private long numberRecordsProcessed;
    private long totalProcessingTime;
    private boolean deleted;

    BulkJob(String id, long sequence, String operation, String object, String createdById, int apiVersion,
            ColumnDelimiter delimiter, LineEnding lineEnding, JobState initial, OrgClock clock) {
        this.id = id;
        this.sequence = sequence;
        this.operation = operation;
        this.object = object;
        this.createdById = createdById;
        this.apiVersion = apiVersion;
        this.delimiter = delimiter;
        this.lineEnding = lineEnding;
        this.clock = clock;
        this.state = initial;
        this.createdDate = now();
        this.systemModstamp = createdDate;
    }

    /** {@code V2Ingest} or {@code V2Query}. */
    abstract String jobType();

    final String id() {
        return id;
    }

    /** Creation order, for lists. */
    final long sequence() {
        return sequence;
    }

    final String operation() {
        return operation;
    }

    final synchronized String object() {
        return object;
    }

    final synchronized void object(String name) {
        this.object = name;
    }

    final String createdById() {
        return createdById;
    }

    final int apiVersion() {
        return apiVersion;
    }

    final ColumnDelimiter delimiter() {
        return delimiter;
    }

    final LineEnding lineEnding() {
        return lineEnding;
    }

    final synchronized JobState state() {
        return state;
    }

    final synchronized String errorMessage() {
        return errorMessage;
    }

    /** True once the job was deleted: processing that has not started yet must not start. */
    final synchronized boolean deleted() {
        return deleted;
    }

    final synchronized void markDeleted() {
        deleted = true;
    }

    /** Moves to {@code next} and stamps {@code systemModstamp}. Call with the job's lock held. */
    final void moveTo(JobState next) {
        state = next;
        systemModstamp = now();
    }

    /** Moves to InProgress if the job is still waiting in {@code from} (not aborted or deleted meanwhile). */
    final synchronized boolean start(JobState from) {
        if (state != from || deleted) {
            return false;
        }
        moveTo(JobState.IN_PROGRESS);
        return true;
    }

    /** Moves an InProgress job to JobComplete; false if it was aborted meanwhile. */
    final synchronized boolean complete() {
        if (state != JobState.IN_PROGRESS) {
            return false;
        }
        moveTo(JobState.JOB_COMPLETE);
        return true;
    }

    /** Moves a job that has not ended to Failed, with Salesforce's {@code errorMessage}. */
    final synchronized void fail(String message) {
        if (state.terminal()) {
            return;
        }
        errorMessage = message;
        moveTo(JobState.FAILED);
    }

    final synchronized void addProcessed(long records, long millis) {
        numberRecordsProcessed += records;
        totalProcessingTime += millis;
    }

    final synchronized long numberRecordsProcessed() {
        return numberRecordsProcessed;
    }

    final synchronized long totalProcessingTime() {
        return totalProcessingTime;
    }

    /** True when the job ended more than {@code retention} ago by the org clock (Salesforce then deletes it). */
    final synchronized boolean expired(Instant now, Duration retention) {
        return state.terminal() && systemModstamp.plus(retention).isBefore(now);
    }

    /** The JobInfo fields up to {@code state}, in Salesforce's order; subclasses add the rest. */
    final synchronized Map<String, Object> head() {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("id", id);
        info.put("operation", operation);
        info.put("object", object);
        info.put("createdById", createdById);
        info.put("createdDate", Values.formatDateTime(createdDate));
        info.put("systemModstamp", Values.formatDateTime(systemModstamp));
        info.put("state", state.wire());
        return info;
    }

    /** JobInfo at {@code detail}. */
    abstract Map<String, Object> info(Detail detail);

    /** {@code apiVersion} is a JSON number such as 60.0, not a string. */
    final Double apiVersionNumber() {
        return (double) apiVersion;
    }

    /** Job time stamps have whole seconds, as Salesforce's do. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }
}
