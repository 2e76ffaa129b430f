package dev.lockstep.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.bulk.IngestJob.Outcome;
import dev.lockstep.emulator.bulk.IngestJob.Row;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.SObjectDef;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The ingest job resources: create ({@code POST .../jobs/ingest}, 200 with JobInfo in state Open), upload
 * ({@code PUT .../{id}/batches}, 201 with no body, several while Open), close or abort ({@code PATCH .../{id}}),
 * status ({@code GET .../{id}}), list ({@code GET .../jobs/ingest}), delete ({@code DELETE .../{id}}, 204) and the
 * result CSVs ({@code successfulResults}, {@code failedResults}, {@code unprocessedrecords}; the last also as
 * {@code unprocessedRecords}, which simple-salesforce asks for).
 * <p>
 * Not emulated: the multipart create (job and data in one request), assignment rules ({@code assignmentRuleId} is
 * only echoed) and the daily record allocation.
 */
final class IngestRoutes {

    private static final String BASE = "/services/data/{version}/jobs/ingest";
    private static final String KIND = "bulk.ingest";
    private static final List<String> OPERATIONS = List.of("insert", "update", "upsert", "delete", "hardDelete");

    private final BulkApi bulk;

    IngestRoutes(BulkApi bulk) {
        this.bulk = bulk;
    }

    void register(Router router) {
        router.add("POST", BASE, KIND, Access.API, this::create);
        router.add("GET", BASE, KIND, Access.API, request -> JobLists.answer(request, "ingest", "V2Ingest",
                bulk.list(IngestJob.class)));
        router.add("GET", BASE + "/{jobId}", KIND, Access.API, request ->
                Response.json(200, job(request).info(BulkJob.Detail.FULL)));
        router.add("PATCH", BASE + "/{jobId}", KIND, Access.API, this::changeState);
        router.add("DELETE", BASE + "/{jobId}", KIND, Access.API, this::delete);
        router.add("PUT", BASE + "/{jobId}/batches", KIND, Access.API, this::upload);
        router.add("GET", BASE + "/{jobId}/{results}", KIND, Access.API, this::results);
    }

    private IngestJob job(Request request) {
        return bulk.find(request.param("jobId"), IngestJob.class);
    }

    private Response create(Request request) {
        JsonNode body = JobRequests.object(request.json());
        String operation = JobRequests.text(body, "operation").orElseThrow(() ->
                BulkErrors.invalidJob("The operation of the job is required: insert, update, upsert, delete or"
                        + " hardDelete"));
        if (!OPERATIONS.contains(operation)) {
            throw BulkErrors.badEnum("OperationEnum", operation, "operation");
        }
        String objectName = JobRequests.text(body, "object").filter(s -> !s.isBlank()).orElseThrow(() ->
                BulkErrors.invalidJob("The object of the job is required"));
        JobRequests.contentType(body);
        ColumnDelimiter delimiter = JobRequests.delimiter(body);
        LineEnding lineEnding = JobRequests.lineEnding(body);
        SObjectDef def = bulk.emulator().org().schema().object(objectName).orElseThrow(() ->
                BulkErrors.invalidEntity(objectName));
        String externalId = null;
        if (operation.equals("upsert")) {
            externalId = externalIdField(def, JobRequests.text(body, "externalIdFieldName"));
        }
        String assignmentRuleId = JobRequests.text(body, "assignmentRuleId").orElse(null);
        long sequence = bulk.nextSequence();
        IngestJob job = new IngestJob(BulkApi.jobId(sequence), sequence, operation, def.name(), externalId,
                assignmentRuleId, request.session().userId(), request.callOptionsClient().orElse(null),
                request.apiVersion(), delimiter, lineEnding, bulk.emulator().clock());
        bulk.add(job);
        return Response.json(200, job.info(BulkJob.Detail.CREATED));
    }

    /** The upsert key: required, a field of the object, and an External ID, an idLookup field or Id. */
    private static String externalIdField(SObjectDef def, Optional<String> name) {
        String fieldName = name.filter(s -> !s.isBlank()).orElseThrow(() -> BulkErrors.invalidJob(
                "External ID was blank for " + def.name() + ". An External ID must be specified for upsert."));
        FieldDef field = def.field(fieldName).orElseThrow(() -> BulkErrors.invalidJob("Field name not found : "
                + fieldName));
        if (!field.externalId() && !field.idLookup() && field.type() != FieldType.ID) {
            throw BulkErrors.invalidJob("The field " + field.name() + " is not an External ID, Salesforce Id, or"
                    + " indexed field of " + def.name());
        }
        return field.name();
    }

    private Response changeState(Request request) {
        IngestJob job = job(request);
        JobState wanted = JobRequests.requestedState(JobRequests.object(request.json()));
        if (wanted == JobState.UPLOAD_COMPLETE) {
            job.close();
            bulk.submit(new IngestProcessor(bulk, job));
        } else if (wanted == JobState.ABORTED) {
            job.abort();
        } else {
            throw BulkErrors.invalidJobState("Unable to set the state to " + wanted.wire()
                    + ": a client can only set UploadComplete or Aborted");
        }
        return Response.json(200, job.info(BulkJob.Detail.CREATED));
    }

    private Response delete(Request request) {
        IngestJob job = job(request);
        job.checkDeletable();
        bulk.remove(job);
        return Response.noContent();
    }

    private Response upload(Request request) {
        IngestJob job = job(request);
        // Salesforce measures the cap on the base64 form of the upload, which is a third larger than the CSV.
        long base64Bytes = (request.body().length + 2L) / 3 * 4;
        if (base64Bytes > bulk.maxUploadBase64Bytes()) {
            throw BulkErrors.uploadTooLarge(request.body().length, bulk.maxUploadBase64Bytes());
        }
        job.upload(request.body());
        return Response.empty(201);
    }

    private Response results(Request request) {
        IngestJob job = job(request);
        String kind = request.param("results").toLowerCase(Locale.ROOT);
        if (!kind.equals("successfulresults") && !kind.equals("failedresults")
                && !kind.equals("unprocessedrecords")) {
            throw BulkErrors.notFound();
        }
        if (job.state() == JobState.OPEN) {
            throw BulkErrors.invalidJobState("Unable to get results: the job is Open; close it first");
        }
        return Response.bytes(200, "text/csv", resultCsv(job, kind));
    }

    /**
     * A result file: {@code "sf__Id","sf__Created"} (successful) or {@code "sf__Id","sf__Error"} (failed) before
     * the uploaded columns, or the uploaded columns alone (unprocessed); values quoted; in the job's delimiter and
     * line ending; records in upload order. While the job is in progress the files show the records processed
     * so far.
     */
    private static byte[] resultCsv(IngestJob job, String kind) {
        IngestJob.Table table = job.table();
        CsvBuffer csv = new CsvBuffer(job.delimiter(), job.lineEnding(), 1024);
        boolean unprocessed = kind.equals("unprocessedrecords");
        boolean successful = kind.equals("successfulresults");
        if (table.columns().isEmpty()) {
            return unprocessed ? new byte[0] : headerOnly(csv, successful);
        }
        if (!unprocessed) {
            csv.quoted("sf__Id").delimiter().quoted(successful ? "sf__Created" : "sf__Error");
        }
        for (int c = 0; c < table.columns().size(); c++) {
            if (c > 0 || !unprocessed) {
                csv.delimiter();
            }
            csv.name(table.columns().get(c));
        }
        csv.endRow();
        for (Row row : table.rows()) {
            Outcome outcome = row.outcome;
            boolean wanted = unprocessed ? outcome == null : outcome != null && outcome.success() == successful;
            if (!wanted) {
                continue;
            }
            if (!unprocessed) {
                csv.quoted(outcome.id()).delimiter()
                        .quoted(successful ? Boolean.toString(outcome.created()) : outcome.error());
            }
            for (int c = 0; c < row.values.length; c++) {
                if (c > 0 || !unprocessed) {
                    csv.delimiter();
                }
                csv.quoted(row.values[c]);
            }
            csv.endRow();
        }
        return csv.toByteArray();
    }

    private static byte[] headerOnly(CsvBuffer csv, boolean successful) {
        csv.quoted("sf__Id").delimiter().quoted(successful ? "sf__Created" : "sf__Error").endRow();
        return csv.toByteArray();
    }
}
