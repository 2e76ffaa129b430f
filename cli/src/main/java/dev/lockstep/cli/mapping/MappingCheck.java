package dev.lockstep.cli.mapping;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Checks a mapping against its object's describe and resolves it to the fields that will be synced: every named
 * field must exist (a near miss is suggested; a different case is accepted and spelt as Salesforce spells it),
 * {@code upsert_field} must be an External ID field, address and geolocation compounds become their components,
 * {@code IsDeleted} is dropped for objects without it (User, RecordType), and {@code all_fields} becomes every
 * field of the object. Resolving a resolved mapping changes nothing.
 */
public final class MappingCheck {

    private MappingCheck() {
    }

    /**
     * A mapping resolved against its describe.
     *
     * @param mapping the mapping with the fields to sync, spelt as in describe, in column order
     * @param describe the object's describe
     * @param unmappedFields fields of the object that are not synced (compounds left out), in describe order
     * @param warnings what was changed on the way, e.g. a compound replaced by its components
     */
    public record Resolved(Mapping mapping, ObjectDescribe describe, List<String> unmappedFields,
            List<String> warnings) {

        public Resolved {
            unmappedFields = List.copyOf(unmappedFields);
            warnings = List.copyOf(warnings);
        }
    }

    /** Resolves every mapping of a file, collecting the problems of all of them into one exception. */
    public static List<Resolved> resolveAll(MappingFile file, Function<String, JsonNode> describes, String source)
            throws MappingException {
        List<Resolved> resolved = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (Mapping mapping : file.mappings()) {
            try {
                resolved.add(resolve(mapping, describes.apply(mapping.objectName())));
            } catch (MappingException e) {
                problems.addAll(e.problems());
            }
        }
        if (!problems.isEmpty()) {
            throw new MappingException(problems).in(source);
        }
        return resolved;
    }

    /**
     * Resolves one mapping against the describe of its object.
     *
     * @param describe the sObject describe, as {@code RestApi.describe(object)} returns it
     * @throws MappingException listing every problem, each starting with {@link Mapping#describe()}
     */
    public static Resolved resolve(Mapping mapping, JsonNode describe) throws MappingException {
        return new Check(mapping, ObjectDescribe.of(describe)).run();
    }

    /**
     * Problems of the columns a mapping gives its fields: a name over Postgres' limit, a system column's name, two
     * fields in one column. Each problem starts with {@link Mapping#describe()}.
     */
    static List<String> columnProblems(Mapping mapping, List<String> fields) {
        List<String> problems = new ArrayList<>();
        Map<String, String> fieldOfColumn = new HashMap<>();
        for (String field : fields) {
            if (MappingFiles.ID.equalsIgnoreCase(field)) {
                continue;
            }
            String column = mapping.column(field);
            String renamed = MappingFiles.find(List.copyOf(mapping.columnNames().keySet()), field);
            String key = mapping.describe() + ": config." + (renamed != null ? MappingFiles.COLUMN_NAMES + "." + renamed
                    : MappingFiles.FIELDS + "." + field) + ": ";
            if (column.length() > Identifiers.MAX_BYTES) {
                problems.add(key + "column name '" + column + "' is longer than Postgres' " + Identifiers.MAX_BYTES
                        + " bytes; give it a shorter name in config.column_names");
            } else if (Identifiers.SYSTEM_COLUMNS.contains(column)) {
                problems.add(key + "'" + column + "' is a system column of every mapped table ("
                        + String.join(", ", Identifiers.SYSTEM_COLUMNS) + "); choose another column name");
            } else {
                String other = fieldOfColumn.putIfAbsent(column, field);
                if (other != null) {
                    problems.add(key + "column '" + column + "' is also the column of " + other
                            + "; give one of them another name in config.column_names");
                }
            }
        }
        return problems;
    }

    /** One resolution: the problems and warnings found so far. */
    private static final class Check {

        private final Mapping mapping;
        private final ObjectDescribe describe;
        private final List<String> problems = new ArrayList<>();
        private final List<String> warnings = new ArrayList<>();

        Check(Mapping mapping, ObjectDescribe describe) {
            this.mapping = mapping;
            this.describe = describe;
        }

        private void error(String key, String problem, String fix) {
            problems.add(mapping.describe() + ": config." + key + ": " + problem + "; " + fix);
        }

        Resolved run() throws MappingException {
            if (!describe.name().isEmpty() && !describe.name().equalsIgnoreCase(mapping.objectName())) {
                throw new IllegalArgumentException("the describe of " + describe.name() + " was given for "
                        + mapping.describe());
            }
            String objectName = describe.name().isEmpty() ? mapping.objectName() : describe.name();
            List<String> fields = new ArrayList<>();
            for (String written : mapping.fields()) {
                for (String field : expand(written)) {
                    if (MappingFiles.find(fields, field) == null) {
                        fields.add(field);
                    }
                }
            }
            if (mapping.allFields()) {
                fields = describe.fields().stream().filter(f -> !f.compound()).map(ObjectDescribe.Field::name)
                        .collect(Collectors.toCollection(ArrayList::new));
            }
            Map<String, Boolean> indexes = new LinkedHashMap<>();
            mapping.indexes().forEach((written, unique) -> {
                String field = existing(MappingFiles.INDEXES + "." + written, written, "index");
                if (field != null) {
                    indexes.put(field, unique);
                }
            });
            String upsertField = mapping.upsertField() == null ? null : upsertField(mapping.upsertField());
            Map<String, String> columnNames = new LinkedHashMap<>();
            mapping.columnNames().forEach((written, column) -> {
                String field = existing(MappingFiles.COLUMN_NAMES + "." + written, written, "rename");
                if (field != null) {
                    columnNames.put(field, column);
                }
            });
            Mapping resolved = new Mapping(mapping.position(), objectName, mapping.access(), fields, indexes,
                    upsertField, mapping.pollingSeconds(), mapping.notifyEnabled(), mapping.schema(),
                    mapping.table(), columnNames, mapping.allFields(), mapping.syncMode(), mapping.updateMode(),
                    mapping.deleteMode(), mapping.schemaStyle(), mapping.keptKeys());
            problems.addAll(columnProblems(resolved, fields));
            if (!problems.isEmpty()) {
                throw new MappingException(problems);
            }
            List<String> unmapped = new ArrayList<>();
            for (ObjectDescribe.Field field : describe.fields()) {
                if (!field.compound() && MappingFiles.find(fields, field.name()) == null) {
                    unmapped.add(field.name());
                }
            }
            return new Resolved(resolved, describe, unmapped, warnings);
        }

        /** A mapped field as describe spells it, its components when it is a compound, or nothing when absent. */
        private List<String> expand(String written) {
            if (MappingFiles.IS_DELETED.equalsIgnoreCase(written) && describe.field(written).isEmpty()) {
                return List.of();
            }
            String field = existing(MappingFiles.FIELDS + "." + written, written, "field");
            if (field == null) {
                return List.of();
            }
            ObjectDescribe.Field described = describe.field(field).orElseThrow();
            if (!described.compound()) {
                return List.of(field);
            }
            List<String> components = describe.components(field).stream().map(ObjectDescribe.Field::name).toList();
            warnings.add(mapping.describe() + ": config." + MappingFiles.FIELDS + "." + written + ": " + field
                    + " is a compound field (" + described.type() + "), which has no column of its own; mapped as"
                    + " its components " + String.join(", ", components));
            return components;
        }

        /** The field describe has under a name (any case), or null after recording the problem. */
        private String existing(String key, String written, String what) {
            var field = describe.field(written);
            if (field.isPresent()) {
                if (field.get().compound() && !what.equals("field")) {
                    error(key, field.get().name() + " is a compound field (" + field.get().type() + "), which has"
                            + " no column of its own", "name one of its components: " + describe.components(
                                    field.get().name()).stream().map(ObjectDescribe.Field::name)
                                    .collect(Collectors.joining(", ")));
                    return null;
                }
                return field.get().name();
            }
            if (MappingFiles.SYSTEM_MODSTAMP.equalsIgnoreCase(written)) {
                error(key, mapping.objectName() + " has no SystemModstamp field, which every mapping syncs (Heroku"
                        + " Connect's change tracking and the systemmodstamp index rely on it)",
                        "this object cannot be mapped; remove the mapping");
                return null;
            }
            String fix = describe.closest(written).map(name -> "did you mean " + name + "?")
                    .orElse("check the API name in Setup (Object Manager > " + mapping.objectName()
                            + " > Fields & Relationships)");
            error(key, mapping.objectName() + " has no field " + written + " (or the integration user cannot see"
                    + " it)", fix);
            return null;
        }

        private String upsertField(String written) {
            String field = existing(MappingFiles.UPSERT_FIELD, written, "upsert");
            if (field == null) {
                return null;
            }
            if (!describe.field(field).orElseThrow().externalId()) {
                List<String> candidates = describe.fields().stream().filter(ObjectDescribe.Field::externalId)
                        .map(ObjectDescribe.Field::name).toList();
                error(MappingFiles.UPSERT_FIELD, mapping.objectName() + "." + field + " is not an External ID field",
                        candidates.isEmpty()
                                ? "mark it External ID in Salesforce (Setup > Object Manager > " + mapping.objectName()
                                        + " > Fields & Relationships), or remove upsert_field"
                                : "name an External ID field (" + String.join(", ", candidates)
                                        + ") or mark " + field + " External ID in Salesforce");
            }
            return field;
        }
    }
}
