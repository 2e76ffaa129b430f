package dev.lockstep.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.query.QueryResult;
import dev.lockstep.emulator.query.Soql;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The query job resources: create ({@code POST .../jobs/query}, 200 with JobInfo in state UploadComplete), status,
 * list, abort ({@code PATCH} with state Aborted), delete, and results ({@code GET .../{id}/results} with
 * {@code locator} and {@code maxRecords}, see {@link ResultPager}).
 * <p>
 * The query runs once, when the job is created, and the job keeps its rows: Salesforce rejects a bad query on
 * creation (400 with SOQL's {@code MALFORMED_QUERY}, {@code INVALID_FIELD}, {@code INVALID_TYPE}, or
 * {@code API_ERROR} for what Bulk queries cannot select), so the emulator must run it to know. The job then moves
 * to InProgress and JobComplete on a worker thread. Results must be fetched with the job's API version (409
 * otherwise) and only from a JobComplete job (412 {@code JOB_NOT_COMPLETE}). Columns follow the SELECT order, as
 * from API version 50.0 on (older versions sorted them; the emulator serves 50.0 and later).
 */
final class QueryRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(QueryRoutes.class);
    private static final String BASE = "/services/data/{version}/jobs/query";
    private static final String KIND = "bulk.query";

    private final BulkApi bulk;

    QueryRoutes(BulkApi bulk) {
        this.bulk = bulk;
    }

    void register(Router router) {
        router.add("POST", BASE, KIND, Access.API, this::create);
        router.add("GET", BASE, KIND, Access.API, request -> JobLists.answer(request, "query", "V2Query",
                bulk.list(QueryJob.class)));
        router.add("GET", BASE + "/{jobId}", KIND, Access.API, request ->
                Response.json(200, job(request).info(BulkJob.Detail.FULL)));
        router.add("PATCH", BASE + "/{jobId}", KIND, Access.API, this::abort);
        router.add("DELETE", BASE + "/{jobId}", KIND, Access.API, this::delete);
        router.add("GET", BASE + "/{jobId}/results", KIND, Access.API, this::results);
    }

    private QueryJob job(Request request) {
        return bulk.find(request.param("jobId"), QueryJob.class);
    }

    private Response create(Request request) {
        JsonNode body = JobRequests.object(request.json());
        String operation = JobRequests.text(body, "operation").orElseThrow(() ->
                BulkErrors.invalidJob("The operation of the job is required: query or queryAll"));
        if (!operation.equals("query") && !operation.equals("queryAll")) {
            throw BulkErrors.badEnum("OperationEnum", operation, "operation");
        }
        String soql = JobRequests.text(body, "query").filter(s -> !s.isBlank()).orElseThrow(() ->
                BulkErrors.invalidJob("The query of the job is required"));
        JobRequests.contentType(body);
        ColumnDelimiter delimiter = JobRequests.delimiter(body);
        LineEnding lineEnding = JobRequests.lineEnding(body);
        Org org = bulk.emulator().org();
        QueryJob job = create(operation, soql, request.session().userId(), request.apiVersion(), delimiter,
                lineEnding, () -> Soql.execute(org, soql, operation.equals("queryAll")));
        return Response.json(200, job.info(BulkJob.Detail.CREATED));
    }

    /**
     * Makes a query job and runs its query now (a snapshot of the org), then queues the job. A query the client
     * got wrong is answered with its error and no job is made; any other failure to run it makes a job that
     * fails. The HTTP handler passes SOQL as {@code query}; tests of paging pass rows they built.
     */
    QueryJob create(String operation, String soql, String userId, int apiVersion, ColumnDelimiter delimiter,
            LineEnding lineEnding, Supplier<QueryResult> query) {
        long sequence = bulk.nextSequence();
        QueryJob job = new QueryJob(BulkApi.jobId(sequence), sequence, operation, soql, userId, apiVersion,
                delimiter, lineEnding, bulk.emulator().clock());
        long started = System.nanoTime();
        try {
            QueryResult result = query.get();
            checkBulkQueryable(result);
            job.result(result);
        } catch (OrgException e) {
            // The client's mistake (bad SOQL, an aggregate, a compound field): Salesforce answers the create 400.
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("Bulk query job {} cannot run its query", job.id(), e);
            job.failure("InternalServerError : " + e.getMessage());
            job.object(fromObject(job.query()));
        }
        job.addProcessed(0, (System.nanoTime() - started) / 1_000_000);
        bulk.add(job);
        bulk.submit(() -> finish(job));
        return job;
    }

    private void finish(QueryJob job) {
        if (!bulk.awaitRelease() || !job.start(JobState.UPLOAD_COMPLETE)) {
            return;
        }
        if (job.failure() != null) {
            job.fail(job.failure());
            return;
        }
        job.addProcessed(job.rowCount(), 0);
        job.complete();
    }

    /** Bulk queries cannot count or aggregate, nor select compound (address, geolocation) fields. */
    private void checkBulkQueryable(QueryResult result) {
        if (result.countOnly()) {
            throw BulkErrors.apiError(400, "Aggregate queries are not supported in Bulk Query");
        }
        Optional<SObjectDef> def = bulk.emulator().org().schema().object(result.object());
        if (def.isEmpty()) {
            return;
        }
        for (String column : result.columns()) {
            Optional<FieldDef> field = column.contains(".") ? Optional.empty() : def.get().field(column);
            if (field.isPresent() && field.get().type().isCompound()) {
                throw BulkErrors.apiError(400, "Selecting compound data not supported in Bulk Query");
            }
        }
    }

    /** The object after FROM, for the JobInfo of a job whose query could not run. */
    static String fromObject(String soql) {
        String[] words = soql.trim().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].toLowerCase(Locale.ROOT).equals("from")) {
                return words[i + 1].replaceAll("[^A-Za-z0-9_]", "");
            }
        }
        return null;
    }

    private Response abort(Request request) {
        QueryJob job = job(request);
        JobState wanted = JobRequests.requestedState(JobRequests.object(request.json()));
        if (wanted != JobState.ABORTED) {
            throw BulkErrors.invalidJobState("Unable to set the state to " + wanted.wire()
                    + ": a client can only abort a query job");
        }
        job.abort();
        return Response.json(200, job.info(BulkJob.Detail.CREATED));
    }

    private Response delete(Request request) {
        QueryJob job = job(request);
        job.checkDeletable();
        bulk.remove(job);
        job.release();
        return Response.noContent();
    }

    private Response results(Request request) {
        QueryJob job = job(request);
        if (request.apiVersion() != job.apiVersion()) {
            throw BulkErrors.apiError(409, "The job was created with API version " + job.apiVersion()
                    + ".0: get its results with that version, not " + request.apiVersion() + ".0");
        }
        QueryResult result = job.completedResult();
        ResultPager.Page page = ResultPager.page(result, request.query("locator").orElse(null),
                request.query("maxRecords").orElse(Integer.toString(bulk.defaultMaxRecords())), job.delimiter(),
                job.lineEnding());
        return Response.bytes(200, "text/csv", page.csv())
                .header("Sforce-NumberOfRecords", Integer.toString(page.numberOfRecords()))
                .header("Sforce-Locator", page.nextLocator());
    }
}
