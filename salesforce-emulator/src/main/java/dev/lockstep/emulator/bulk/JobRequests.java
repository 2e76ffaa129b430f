package dev.lockstep.emulator.bulk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.emulator.org.OrgException;
import java.util.List;
import java.util.Optional;

/** Reads the JSON bodies of job creation and state changes, answering bad values as Salesforce does. */
final class JobRequests {

    private JobRequests() {}

    /** The body as a JSON object, or 400 {@code JSON_PARSER_ERROR}. */
    static JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of JobInfo from "
                    + body.getNodeType() + " value; expected a JSON object");
        }
        return body;
    }

    /** A text property, empty when absent or null; a non-text value is a parser error. */
    static Optional<String> text(JsonNode body, String property) {
        JsonNode value = body.get(property);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new OrgException(400, "JSON_PARSER_ERROR", "Cannot deserialize instance of String from "
                    + value.getNodeType() + " value " + value + " or request may be missing a required field",
                    List.of(property));
        }
        return Optional.of(value.asText());
    }

    /** An enum property: one of {@code allowed}, exactly spelled, else {@code fallback} when absent. */
    static String oneOf(JsonNode body, String property, String enumName, List<String> allowed, String fallback) {
        Optional<String> value = text(body, property);
        if (value.isEmpty()) {
            return fallback;
        }
        if (!allowed.contains(value.get())) {
            throw BulkErrors.badEnum(enumName, value.get(), property);
        }
        return value.get();
    }

    static ColumnDelimiter delimiter(JsonNode body) {
        return ColumnDelimiter.valueOf(oneOf(body, "columnDelimiter", "ColumnDelimiterEnum",
                List.of("BACKQUOTE", "CARET", "COMMA", "PIPE", "SEMICOLON", "TAB"), "COMMA"));
    }

    static LineEnding lineEnding(JsonNode body) {
        return LineEnding.valueOf(oneOf(body, "lineEnding", "LineEndingEnum", List.of("LF", "CRLF"), "LF"));
    }

    /** {@code contentType}: only CSV exists. */
    static void contentType(JsonNode body) {
        oneOf(body, "contentType", "ContentTypeEnum", List.of("CSV"), "CSV");
    }

    /** The {@code state} of a PATCH: UploadComplete or Aborted (ingest), Aborted (query). */
    static JobState requestedState(JsonNode body) {
        String value = text(body, "state").orElseThrow(() ->
                BulkErrors.invalidJobState("The state to move the job to is required"));
        return JobState.fromWire(value).orElseThrow(() -> BulkErrors.badEnum("JobStateEnum", value, "state"));
    }
}
