package dev.lockstep.emulator.query;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.Values;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a page of query results as REST JSON, streaming with Jackson's generator (no tree per row):
 * {@code {totalSize, done, nextRecordsUrl?, records}}, each record with {@code attributes {type, url}}, parents
 * nested with their own attributes ({@code "type": "Name"} through a polymorphic relationship) or null, child
 * subqueries nested as query results or null, compound fields as objects, date-times as
 * {@code 2013-05-20T20:49:32.000+0000} and base64 fields as the relative URL of the blob.
 */
final class JsonRenderer {

    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

    private JsonRenderer() {}

    /**
     * Rows {@code [from, to)} of {@code results}; {@code nextRecordsUrl} is written when not null.
     *
     * @param prefix {@code /services/data/vXX.X}, for the URLs in {@code attributes}
     */
    static byte[] page(ResultSet results, int from, int to, String nextRecordsUrl, String prefix) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + 256 * (to - from));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("totalSize", results.totalSize());
            g.writeBooleanField("done", nextRecordsUrl == null);
            if (nextRecordsUrl != null) {
                g.writeStringField("nextRecordsUrl", nextRecordsUrl);
            }
            g.writeArrayFieldStart("records");
            List<Object[]> rows = results.rows();
            for (int i = from; i < to; i++) {
                record(g, results.plan(), rows.get(i), prefix);
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void record(JsonGenerator g, Plan plan, Object[] row, String prefix) throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("attributes");
        if (plan.aggregate()) {
            g.writeStringField("type", "AggregateResult");
            g.writeEndObject();
            nodes(g, plan.tree, row, null, null, prefix);
        } else {
            String type = plan.object.name();
            String id = (String) row[plan.idSlot()];
            g.writeStringField("type", type);
            g.writeStringField("url", prefix + "/sobjects/" + type + "/" + id);
            g.writeEndObject();
            nodes(g, plan.tree, row, type, id, prefix);
        }
        g.writeEndObject();
    }

    private static void nodes(JsonGenerator g, List<Plan.Node> nodes, Object[] row, String type, String id,
            String prefix) throws IOException {
        for (Plan.Node node : nodes) {
            if (node instanceof Plan.Leaf leaf) {
                g.writeFieldName(leaf.key());
                value(g, leaf.field(), row[leaf.slot()], type, id, prefix);
            } else if (node instanceof Plan.Parent parent) {
                g.writeFieldName(parent.key());
                Source.ParentRef ref = (Source.ParentRef) row[parent.slot()];
                if (ref == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                g.writeObjectFieldStart("attributes");
                g.writeStringField("type", parent.polymorphic() ? "Name" : ref.type());
                g.writeStringField("url", prefix + "/sobjects/" + ref.type() + "/" + ref.id());
                g.writeEndObject();
                nodes(g, parent.children(), row, ref.type(), ref.id(), prefix);
                g.writeEndObject();
            } else {
                Plan.Child child = (Plan.Child) node;
                g.writeFieldName(child.key());
                ResultSet.ChildRows rows = (ResultSet.ChildRows) row[child.slot()];
                if (rows == null) {
                    g.writeNull();
                    continue;
                }
                g.writeStartObject();
                g.writeNumberField("totalSize", rows.rows().size());
                g.writeBooleanField("done", true);
                g.writeArrayFieldStart("records");
                for (Object[] childRow : rows.rows()) {
                    record(g, rows.plan(), childRow, prefix);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
        }
    }

    private static void value(JsonGenerator g, FieldDef field, Object value, String type, String id, String prefix)
            throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (field != null && field.type() == FieldType.BASE64 && id != null) {
            g.writeString(prefix + "/sobjects/" + type + "/" + id + "/" + field.name());
        } else {
            scalar(g, value);
        }
    }

    private static void scalar(JsonGenerator g, Object value) throws IOException {
        if (value == null) {
            g.writeNull();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (value instanceof Integer i) {
            g.writeNumber(i);
        } else if (value instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (value instanceof Instant instant) {
            g.writeString(Values.formatDateTime(instant));
        } else if (value instanceof LocalTime time) {
            g.writeString(Values.toText(time));
        } else if (value instanceof byte[] bytes) {
            g.writeString(Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Map<?, ?> compound) {
            g.writeStartObject();
            for (Map.Entry<?, ?> part : new TreeMap<>(compound).entrySet()) {
                g.writeFieldName(part.getKey().toString());
                scalar(g, part.getValue());
            }
            g.writeEndObject();
        } else {
            g.writeString(value.toString());
        }
    }
}
