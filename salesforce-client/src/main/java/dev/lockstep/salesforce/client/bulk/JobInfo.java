package dev.lockstep.salesforce.client.bulk;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Salesforce says about a Bulk job (its JobInfo, reference §4.1): the fields the client acts on, and the whole
 * answer in {@link #json} for the rest.
 *
 * @param errorMessage Salesforce's reason when the job Failed, else null
 */
public record JobInfo(String id, String object, String operation, JobState state, String errorMessage,
        long numberRecordsProcessed, long numberRecordsFailed, JsonNode json) {

    static JobInfo of(JsonNode json) {
        return new JobInfo(json.path("id").asText(), json.path("object").asText(null),
                json.path("operation").asText(null), JobState.fromWire(json.path("state").asText()),
                json.path("errorMessage").asText(null), json.path("numberRecordsProcessed").asLong(),
                json.path("numberRecordsFailed").asLong(), json);
    }
}
