package dev.lockstep.salesforce.client.bulk;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.salesforce.client.ErrorCategory;
import dev.lockstep.salesforce.client.SalesforceException;
import dev.lockstep.salesforce.client.http.SalesforceHttp;
import dev.lockstep.salesforce.client.http.SalesforceHttp.Call;
import dev.lockstep.salesforce.client.rest.RestApi;
import dev.lockstep.salesforce.client.rest.RestApi.RecordError;
import dev.lockstep.salesforce.client.rest.Soql;
import dev.lockstep.salesforce.client.values.FieldValues;
import java.io.ByteArrayOutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Bulk API 2.0 (reference §4), one method per resource plus the usual sequences:
 *
 * <ul>
 *   <li>query jobs: {@link #query}/{@link #queryAll} create a job, wait for it and return its rows typed by the
 *       object's describe, streamed chunk by chunk over {@code Sforce-Locator}s ({@link BulkRows});</li>
 *   <li>ingest jobs: {@link #ingest} creates a job, uploads rows in chunks under
 *       {@link BulkOptions#maxUploadBytes}, closes it and waits for it; {@link #successfulResults},
 *       {@link #failedResults} and {@link #unprocessedRecords} then read its outcome per record.</li>
 * </ul>
 *
 * <p>Every call goes through {@link SalesforceHttp} (session, re-login, retries, classification) and is counted as
 * {@code bulk.query} or {@code bulk.ingest}. Waiting for a job polls its state with capped exponential backoff on
 * the calling thread. Thread-safe: the class holds no state of a job.
 */
public final class BulkApi {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String QUERY = "bulk.query";
    private static final String INGEST = "bulk.ingest";
    /** Several errors in one {@code sf__Error} are separated by a space after each {@code --}. */
    private static final Pattern ERROR_SEPARATOR = Pattern.compile("(?<=--) (?=[A-Z][A-Z0-9_]*:)");

    private final SalesforceHttp http;
    private final RestApi rest;
    private final String version;
    private final BulkOptions options;

    /**
     * @param rest for the describes that type query results (cached there)
     * @param version the API version such as {@code 61.0}; query results must be read with the job's version
     */
    public BulkApi(SalesforceHttp http, RestApi rest, String version, BulkOptions options) {
        this.http = http;
        this.rest = rest;
        this.version = version;
        this.options = options;
    }

    private String jobs(String resource) {
        return "/services/data/v" + version + "/jobs" + resource;
    }

    // ---------------------------------------------------------------------------------------------- query jobs

    /**
     * Runs a SOQL query as a Bulk job and returns its live rows, typed, as they are downloaded.
     *
     * @throws SalesforceException FATAL for a query Salesforce rejects ({@code MALFORMED_QUERY},
     *     {@code INVALID_FIELD}, ...); {@link BulkJobException} when the job fails, is aborted or outlasts
     *     {@link BulkOptions#jobTimeout}
     */
    public BulkRows<Map<String, Object>> query(String soql) {
        return typedResults(awaitQuery(createQuery(soql, false).id()));
    }

    /** As {@link #query}, including deleted and archived records ({@code queryAll}). */
    public BulkRows<Map<String, Object>> queryAll(String soql) {
        return typedResults(awaitQuery(createQuery(soql, true).id()));
    }

    /** Creates a query job ({@code POST .../jobs/query}); Salesforce runs it in the background. */
    public JobInfo createQuery(String soql, boolean all) {
        ObjectNode body = JSON.createObjectNode().put("operation", all ? "queryAll" : "query").put("query", soql)
                .put("contentType", "CSV").put("columnDelimiter", "COMMA").put("lineEnding", "LF");
        return JobInfo.of(http.send(Call.json(QUERY, "POST", jobs("/query"), body.toString())).json());
    }

    public JobInfo queryJob(String jobId) {
        return JobInfo.of(http.send(Call.get(QUERY, jobs("/query/" + id(jobId)))).json());
    }

    /** Waits until a query job is JobComplete. @throws BulkJobException as {@link #query} */
    public JobInfo awaitQuery(String jobId) {
        return await(jobId, this::queryJob);
    }

    public JobInfo abortQuery(String jobId) {
        return JobInfo.of(http.send(Call.json(QUERY, "PATCH", jobs("/query/" + id(jobId)),
                "{\"state\":\"Aborted\"}")).json());
    }

    /** The rows of a completed query job, typed by the describe of the job's object. */
    public BulkRows<Map<String, Object>> typedResults(JobInfo job) {
        return typedResults(job, null);
    }

    /**
     * As {@link #typedResults(JobInfo)}, from the chunk a locator names ({@link BulkRows#chunkLocator()}; null for
     * the first): how a reader interrupted mid-job resumes without reading the job from the start.
     */
    public BulkRows<Map<String, Object>> typedResults(JobInfo job, String fromLocator) {
        if (job.object() == null) {
            throw new SalesforceException(ErrorCategory.FATAL, 0, null, "Bulk query job " + job.id()
                    + " does not say which object it queries; read it with textResults");
        }
        FieldValues values = FieldValues.of(rest.describe(job.object()));
        return results(job.id(), fromLocator, header -> {
            int width = header.size();
            FieldValues.Column[] columns = new FieldValues.Column[width];
            String[] names = new String[width];
            for (int i = 0; i < width; i++) {
                String column = header.get(i);
                // A parent path (Owner.Name) is a field of another object: kept as text, not typed here.
                if (column.indexOf('.') < 0) {
                    columns[i] = values.column(column);
                    names[i] = columns[i].name();
                } else {
                    names[i] = column;
                }
            }
            return row -> {
                Map<String, Object> typed = new LinkedHashMap<>((int) (width / 0.75f) + 1);
                for (int i = 0; i < width; i++) {
                    String text = row.get(i);
                    typed.put(names[i], columns[i] != null ? columns[i].fromCsv(text) : text.isEmpty() ? null
                            : text);
                }
                return typed;
            };
        });
    }

    /** The rows of a completed query job as text, for callers that type them themselves. */
    public BulkRows<Map<String, String>> textResults(String jobId) {
        return results(jobId, null, BulkApi::textRow);
    }

    private <T> BulkRows<T> results(String jobId, String fromLocator, BulkRows.RowMapper<T> mapper) {
        String base = jobs("/query/" + id(jobId) + "/results");
        Function<String, SalesforceHttp.Streamed> fetch = locator -> {
            StringBuilder path = new StringBuilder(base);
            char sep = '?';
            if (options.maxRecords() > 0) {
                path.append(sep).append("maxRecords=").append(options.maxRecords());
                sep = '&';
            }
            if (locator != null) {
                path.append(sep).append("locator=").append(URLEncoder.encode(locator, StandardCharsets.UTF_8));
            }
            return http.stream(Call.get(QUERY, path.toString()).withHeader("Accept", "text/csv"));
        };
        return new BulkRows<>(fetch, mapper, "Results of Bulk query job " + jobId, fromLocator);
    }

    // --------------------------------------------------------------------------------------------- ingest jobs

    /**
     * Creates an ingest job ({@code state: Open}).
     *
     * @param externalIdField the External ID field for {@link IngestOperation#UPSERT} (may be {@code Id}); null
     *     otherwise
     */
    public JobInfo createIngest(String object, IngestOperation operation, String externalIdField) {
        if ((operation == IngestOperation.UPSERT) != (externalIdField != null)) {
            throw new IllegalArgumentException("An External ID field is needed for upsert, and only for upsert");
        }
        ObjectNode body = JSON.createObjectNode().put("object", Soql.identifier(object))
                .put("operation", operation.wire()).put("contentType", "CSV").put("columnDelimiter", "COMMA")
                .put("lineEnding", "LF");
        if (externalIdField != null) {
            body.put("externalIdFieldName", Soql.identifier(externalIdField));
        }
        return JobInfo.of(http.send(Call.json(INGEST, "POST", jobs("/ingest"), body.toString())).json());
    }

    /**
     * Uploads rows to an Open job, as CSV with {@code columns} as header, in as many uploads as
     * {@link BulkOptions#maxUploadBytes} needs (each with the header); values as {@link CsvWriter} formats them.
     * Holds one upload's bytes at a time.
     *
     * @return the number of uploads
     * @throws IllegalArgumentException when one row alone is larger than the upload limit
     */
    public int upload(String jobId, List<String> columns, Iterator<? extends List<?>> rows) {
        byte[] header = CsvWriter.row(columns);
        long limit = options.maxUploadBytes();
        ByteArrayOutputStream chunk = new ByteArrayOutputStream((int) Math.min(limit, 1 << 20));
        chunk.writeBytes(header);
        int uploads = 0;
        long rowNumber = 0;
        while (rows.hasNext()) {
            List<?> row = rows.next();
            rowNumber++;
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("Row " + rowNumber + " has " + row.size() + " values for "
                        + columns.size() + " columns");
            }
            byte[] line = CsvWriter.row(row);
            if (header.length + line.length > limit) {
                throw new IllegalArgumentException("Row " + rowNumber + " alone takes " + line.length
                        + " bytes, more than the upload limit of " + limit);
            }
            if (chunk.size() + line.length > limit) {
                put(jobId, chunk.toByteArray());
                uploads++;
                chunk.reset();
                chunk.writeBytes(header);
            }
            chunk.writeBytes(line);
        }
        if (chunk.size() > header.length || uploads == 0) {
            put(jobId, chunk.toByteArray());
            uploads++;
        }
        return uploads;
    }

    private void put(String jobId, byte[] csv) {
        http.send(new Call(INGEST, "PUT", jobs("/ingest/" + id(jobId) + "/batches"), "text/csv", csv, Map.of()));
    }

    /** Marks an Open job UploadComplete: Salesforce processes nothing before. */
    public JobInfo closeIngest(String jobId) {
        return JobInfo.of(http.send(Call.json(INGEST, "PATCH", jobs("/ingest/" + id(jobId)),
                "{\"state\":\"UploadComplete\"}")).json());
    }

    /** Aborts an Open or UploadComplete job; rows not yet processed land in {@link #unprocessedRecords}. */
    public JobInfo abortIngest(String jobId) {
        return JobInfo.of(http.send(Call.json(INGEST, "PATCH", jobs("/ingest/" + id(jobId)),
                "{\"state\":\"Aborted\"}")).json());
    }

    public JobInfo ingestJob(String jobId) {
        return JobInfo.of(http.send(Call.get(INGEST, jobs("/ingest/" + id(jobId)))).json());
    }

    /** Waits until an ingest job is JobComplete. @throws BulkJobException when it fails, is aborted or is late */
    public JobInfo awaitIngest(String jobId) {
        return await(jobId, this::ingestJob);
    }

    /**
     * Create, upload, close, wait: one ingest job for all {@code rows}. When the upload fails the job is aborted,
     * so that no half-loaded job is left Open.
     *
     * @return the completed job; read its outcome with {@link #successfulResults} and {@link #failedResults}
     * @throws BulkJobException when the job fails, is aborted or is late (its results can still be read)
     */
    public JobInfo ingest(String object, IngestOperation operation, String externalIdField, List<String> columns,
            Iterator<? extends List<?>> rows) {
        JobInfo job = createIngest(object, operation, externalIdField);
        try {
            upload(job.id(), columns, rows);
            closeIngest(job.id());
        } catch (RuntimeException e) {
            try {
                abortIngest(job.id());
            } catch (RuntimeException abortFailure) {
                e.addSuppressed(abortFailure);
            }
            throw e;
        }
        return awaitIngest(job.id());
    }

    /** The records a job wrote ({@code successfulResults}), streamed. */
    public BulkRows<SuccessfulRecord> successfulResults(String jobId) {
        return ingestResults(jobId, "/successfulResults", header -> row -> {
            Map<String, String> all = textRow(header).apply(row);
            String id = all.remove("sf__Id");
            boolean created = Boolean.parseBoolean(all.remove("sf__Created"));
            return new SuccessfulRecord(id, created, all);
        });
    }

    /** The records a job rejected ({@code failedResults}), with their errors, streamed. */
    public BulkRows<FailedRecord> failedResults(String jobId) {
        return ingestResults(jobId, "/failedResults", header -> row -> {
            Map<String, String> all = textRow(header).apply(row);
            String id = all.remove("sf__Id");
            List<RecordError> errors = parseErrors(all.remove("sf__Error"));
            return new FailedRecord(id == null || id.isEmpty() ? null : id, errors, all);
        });
    }

    /** The rows a job never attempted ({@code unprocessedrecords}, after an abort or a failure), streamed. */
    public BulkRows<Map<String, String>> unprocessedRecords(String jobId) {
        return ingestResults(jobId, "/unprocessedrecords", BulkApi::textRow);
    }

    private <T> BulkRows<T> ingestResults(String jobId, String resource, BulkRows.RowMapper<T> mapper) {
        String path = jobs("/ingest/" + id(jobId) + resource);
        return new BulkRows<>(locator -> http.stream(Call.get(INGEST, path).withHeader("Accept", "text/csv")),
                mapper, "Results of Bulk ingest job " + jobId);
    }

    private static Function<List<String>, Map<String, String>> textRow(List<String> header) {
        return row -> {
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                fields.put(header.get(i), row.get(i));
            }
            return fields;
        };
    }

    /**
     * Parses {@code sf__Error}: {@code STATUS_CODE:message:field field --}, several separated by a space
     * (reference §4.1). The message may itself hold colons, so the fields are what follows its last colon.
     */
    static List<RecordError> parseErrors(String text) {
        List<RecordError> errors = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return errors;
        }
        for (String one : ERROR_SEPARATOR.split(text.trim())) {
            int colon = one.indexOf(':');
            if (colon < 0) {
                errors.add(new RecordError(one, one, List.of()));
                continue;
            }
            String code = one.substring(0, colon);
            String rest = one.substring(colon + 1);
            List<String> fields = new ArrayList<>();
            if (rest.endsWith("--")) {
                rest = rest.substring(0, rest.length() - 2);
                int last = rest.lastIndexOf(':');
                if (last >= 0) {
                    for (String field : rest.substring(last + 1).trim().split("\\s+")) {
                        if (!field.isEmpty()) {
                            fields.add(field);
                        }
                    }
                    rest = rest.substring(0, last);
                }
            }
            errors.add(new RecordError(code, rest.trim(), List.copyOf(fields)));
        }
        return errors;
    }

    // ----------------------------------------------------------------------------------------------- waiting

    private JobInfo await(String jobId, Function<String, JobInfo> status) {
        long deadline = System.nanoTime() + options.jobTimeout().toNanos();
        Duration delay = options.pollInitial();
        while (true) {
            JobInfo job = status.apply(jobId);
            switch (job.state()) {
                case JOB_COMPLETE:
                    return job;
                case FAILED:
                    // Salesforce's InternalServerError is on its side and may pass; anything else (InvalidBatch,
                    // a bad header...) will fail again the same way.
                    boolean internal = job.errorMessage() != null && job.errorMessage().startsWith("InternalServer");
                    throw new BulkJobException(internal ? ErrorCategory.RETRIABLE : ErrorCategory.FATAL,
                            BulkJobException.JOB_FAILED, "Bulk job " + job.id() + " on " + job.object() + " failed: "
                            + job.errorMessage(), job);
                case ABORTED:
                    throw new BulkJobException(ErrorCategory.FATAL, BulkJobException.JOB_ABORTED, "Bulk job "
                            + job.id() + " on " + job.object() + " was aborted"
                            + (job.errorMessage() == null ? "" : ": " + job.errorMessage()), job);
                default:
                    break;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new BulkJobException(ErrorCategory.RETRIABLE, BulkJobException.JOB_TIMEOUT, "Bulk job "
                        + job.id() + " on " + job.object() + " is still " + job.state().wire() + " after "
                        + options.jobTimeout() + "; wait for it again or abort it", job);
            }
            sleep(delay, jobId);
            Duration doubled = delay.multipliedBy(2);
            delay = doubled.compareTo(options.pollCap()) > 0 ? options.pollCap() : doubled;
        }
    }

    private static void sleep(Duration delay, String jobId) {
        try {
            TimeUnit.MILLISECONDS.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SalesforceException(ErrorCategory.RETRIABLE, 0, null, "Interrupted while waiting for Bulk job "
                    + jobId, e);
        }
    }

    /** Job ids are 18 alphanumerics; refuse anything else before it reaches a path. */
    private static String id(String jobId) {
        if (jobId == null || !jobId.matches("[A-Za-z0-9]{15,18}")) {
            throw new IllegalArgumentException("Not a Bulk job id: " + jobId);
        }
        return jobId;
    }
}
