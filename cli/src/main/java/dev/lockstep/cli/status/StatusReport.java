package dev.lockstep.cli.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What {@code lockstep status} found: the deployment's connectors and, per mapping, what Heroku Connect's dashboard
 * showed (state, progress, record counts, lag, last errors), each mapping with its {@link Health} and the problems
 * behind it.
 *
 * @param at when the report was taken
 * @param connectors the deployment's connectors, sinks first
 * @param mappings one entry per mapping, in file order
 * @param unreachable what could not be reached, each with the error (the report is partial then)
 * @param notMeasured what was not measured because an option was not given (e.g. no {@code --salesforce})
 */
public record StatusReport(Instant at, List<Connector> connectors, List<MappingStatus> mappings,
        List<String> unreachable, List<String> notMeasured) {

    public StatusReport {
        connectors = List.copyOf(connectors);
        mappings = List.copyOf(mappings);
        unreachable = List.copyOf(unreachable);
        notMeasured = List.copyOf(notMeasured);
    }

    /** The worst health of any mapping; {@link Health#UNKNOWN} when something could not be reached. */
    public Health health() {
        Health worst = unreachable.isEmpty() ? Health.OK : Health.UNKNOWN;
        for (MappingStatus mapping : mappings) {
            worst = worst.worst(mapping.health());
        }
        return worst;
    }

    /**
     * A connector as Connect reports it.
     *
     * @param name the connector's name
     * @param type {@code source} or {@code sink}
     * @param state Connect's state ({@code RUNNING}, {@code PAUSED}, {@code STOPPED}, {@code FAILED},
     *     {@code UNASSIGNED}, {@code RESTARTING}), or {@code MISSING} when there is no such connector
     * @param trace the first line of the connector's own failure, or null
     * @param tasks its tasks
     */
    public record Connector(String name, String type, String state, String trace, List<Task> tasks) {

        public static final String MISSING = "MISSING";

        public Connector {
            tasks = List.copyOf(tasks);
        }

        public boolean running() {
            return state.equals("RUNNING") && tasks.stream().allMatch(t -> t.state().equals("RUNNING"))
                    && !tasks.isEmpty();
        }
    }

    /** A task: its number, state and the first line of its failure's trace (null unless failed). */
    public record Task(int id, String state, String trace) {
    }

    /**
     * Where the source stands with an object, from its stored offset (written every
     * {@code offset.flush.interval.ms}, so up to that much behind).
     *
     * @param phase {@code snapshot}, {@code resync}, {@code streaming}, {@code polling}, or {@code not started}
     *     when no offset is stored yet
     * @param done snapshot: records read so far
     * @param total snapshot: records counted when it started
     * @param lastChange streaming: commit time of the last change event read; polling: the cursor
     */
    public record Progress(String phase, Long done, Long total, Instant lastChange) {

        public static final String NOT_STARTED = "not started";
    }

    /**
     * Record counts; null when not measured.
     *
     * @param salesforce live records in Salesforce ({@code SELECT COUNT()})
     * @param live rows with an {@code sfid} that are not soft-deleted
     * @param deleted soft-deleted rows
     * @param withoutSfid rows without {@code sfid} (written by an application, not in Salesforce yet)
     */
    public record Counts(Long salesforce, Long live, Long deleted, Long withoutSfid) {
    }

    /**
     * How far Postgres is behind; null parts were not measured.
     *
     * @param lag the age of the oldest Salesforce change newer than the table's newest {@code systemmodstamp}
     *     (zero when the newest change has arrived)
     * @param salesforceNewest Salesforce's newest {@code SystemModstamp} of the object
     * @param postgresNewest the table's newest {@code systemmodstamp}
     * @param sinkRecordsBehind records in the object's topic the sink has not committed yet (its consumer group's
     *     lag; commits trail by up to the worker's {@code offset.flush.interval.ms}, so this is an upper bound)
     */
    public record Lag(Duration lag, Instant salesforceNewest, Instant postgresNewest, Long sinkRecordsBehind) {
    }

    /** A record a sink sent to the dead-letter topic, from the record's headers. */
    public record DeadLetter(Instant at, String connector, String topic, Integer partition, Long offset,
            String message) {
    }

    /** A row whose last operation failed ({@code _hc_lastop = 'FAILED'}), with its {@code _hc_err}. */
    public record FailedRow(String sfid, long id, String error) {
    }

    /** A record the source connector could not convert ({@code <prefix>.errors}). */
    public record SourceError(Instant at, String id, String error) {
    }

    /**
     * One mapping.
     *
     * @param object the Salesforce object
     * @param table {@code schema.table}
     * @param source the source connector reading the object (null when none of the deployment's does)
     * @param sink the sink connector writing the table
     * @param progress the source's phase for the object (null when not known)
     * @param counts the record counts
     * @param lag the lag
     * @param deadLetters the newest records of this mapping's sink in the dead-letter topic within the window
     * @param deadLetterCount how many of the records read from the dead-letter topic are this mapping's
     * @param sourceErrors the newest records of this object the source could not convert, within the window
     * @param failedRows some rows with {@code _hc_lastop = 'FAILED'}
     * @param failedRowCount how many rows have {@code _hc_lastop = 'FAILED'}
     * @param health the mapping's health
     * @param problems why it is not {@link Health#OK}, one line each
     */
    public record MappingStatus(String object, String table, String source, String sink, Progress progress,
            Counts counts, Lag lag, List<DeadLetter> deadLetters, long deadLetterCount,
            List<SourceError> sourceErrors, List<FailedRow> failedRows, Long failedRowCount, Health health,
            List<String> problems) {

        public MappingStatus {
            deadLetters = List.copyOf(deadLetters);
            sourceErrors = List.copyOf(sourceErrors);
            failedRows = List.copyOf(failedRows);
            problems = List.copyOf(problems);
        }
    }
}
