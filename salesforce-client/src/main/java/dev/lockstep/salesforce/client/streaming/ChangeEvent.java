package dev.lockstep.salesforce.client.streaming;

import java.util.Map;

/**
 * A Change Data Capture event as both transports deliver it, so callers do not care which one did.
 *
 * <p>{@code fields} maps the event's field names to Java values: String (text, ids, picklists, multipicklists
 * {@code ;}-joined), Boolean, Integer, Double (double, currency, percent; the caller applies the field's scale from
 * describe), LocalDate, Instant (date-time), LocalTime, byte[] (base64), and a {@code Map<String, Object>} of
 * component values for compounds (address, geolocation, person name). A field absent from the map was not sent
 * (CometD leaves unchanged fields out of updates); a field mapped to null was sent as null — which for an UPDATE
 * means "unchanged" unless it is listed in {@code header().nulledFields()}.
 *
 * @param transport {@code pubsub} or {@code cometd}
 */
public record ChangeEvent(String channel, ReplayId replayId, String schemaId, ChangeEventHeader header,
        Map<String, Object> fields, String transport) {}
