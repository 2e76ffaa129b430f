package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.common.ColumnType;
import dev.lockstep.common.SchemaStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The parts of a Salesforce sObject describe (as {@code RestApi.describe(object)} returns it) that mappings and
 * tables are checked and built from: the object's name and its fields in describe order.
 *
 * @param name the object API name as Salesforce spells it
 * @param fields the fields, in describe order
 */
public record ObjectDescribe(String name, List<Field> fields) {

    public ObjectDescribe {
        fields = List.copyOf(fields);
    }

    /**
     * One field of a describe.
     *
     * @param name the API name
     * @param type the describe type, e.g. {@code string}, {@code address}
     * @param length text length, 0 when none
     * @param precision number precision, 0 when none
     * @param scale number scale, 0 when none
     * @param calculated a formula field
     * @param externalId marked External ID, so usable as {@code upsert_field}
     * @param compoundFieldName the compound (address, location) this field is a component of, or null
     */
    public record Field(String name, String type, int length, int precision, int scale, boolean calculated,
            boolean externalId, String compoundFieldName) {

        /** The column type in a style; null for compound fields, which are synced through their components. */
        public ColumnType columnType(SchemaStyle style) {
            return ColumnType.of(type, length, precision, scale, style);
        }

        /** An address or geolocation compound field, which has no column of its own. */
        public boolean compound() {
            return columnType(SchemaStyle.HEROKU_CONNECT) == null;
        }
    }

    /** Reads a describe body; fields without a name are skipped as no describe has them. */
    public static ObjectDescribe of(JsonNode describe) {
        List<Field> fields = new ArrayList<>();
        for (JsonNode f : describe.path("fields")) {
            String name = f.path("name").asText("");
            if (name.isEmpty()) {
                continue;
            }
            fields.add(new Field(name, f.path("type").asText("string"), f.path("length").asInt(0),
                    f.path("precision").asInt(0), f.path("scale").asInt(0), f.path("calculated").asBoolean(false),
                    f.path("externalId").asBoolean(false), textOrNull(f.path("compoundFieldName"))));
        }
        return new ObjectDescribe(describe.path("name").asText(""), fields);
    }

    private static String textOrNull(JsonNode node) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : null;
    }

    /** The field of a name, matched case-insensitively (Salesforce API names are case-insensitive). */
    public Optional<Field> field(String name) {
        return fields.stream().filter(f -> f.name().equalsIgnoreCase(name)).findFirst();
    }

    /** The components of a compound field, in describe order. */
    public List<Field> components(String compound) {
        return fields.stream().filter(f -> compound.equalsIgnoreCase(f.compoundFieldName())).toList();
    }

    /**
     * The field whose name is closest to a misspelt one (edit distance, case-insensitive), for "did you mean"
     * hints; empty when nothing is close enough to be a plausible typo.
     */
    public Optional<String> closest(String name) {
        String wanted = name.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (Field field : fields) {
            int distance = distance(wanted, field.name().toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = field.name();
                bestDistance = distance;
            }
        }
        return bestDistance <= Math.max(2, wanted.length() / 3) ? Optional.ofNullable(best) : Optional.empty();
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
