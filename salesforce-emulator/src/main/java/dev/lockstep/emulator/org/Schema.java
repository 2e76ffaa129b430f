package dev.lockstep.emulator.org;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The org's sObject types, loaded from describe-shaped JSON fixtures. Each fixture file is one object: the object
 * keys ({@code name, label, keyPrefix, createable, ...}) and {@code fields[]} with describe's field keys. Keys the
 * emulator does not know are ignored; missing optional keys take describe's defaults.
 *
 * <p>Definitions are immutable and swapped atomically on a schema change, so readers never see half a change.
 */
public final class Schema {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DEFAULT_ORG = "/dev/lockstep/emulator/default-org/";

    private final Map<String, SObjectDef> byLowerName = new ConcurrentHashMap<>();
    private final Map<String, SObjectDef> byKeyPrefix = new ConcurrentHashMap<>();

    /** The default org: Heroku Connect's usual standard objects plus {@code Sync_Sample__c}. */
    public static Schema defaultOrg() {
        Schema schema = new Schema();
        String index = readResource(DEFAULT_ORG + "objects.txt");
        for (String file : index.lines().map(String::trim).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList()) {
            schema.add(parseObject(readJson(readResource(DEFAULT_ORG + file), file)));
        }
        schema.addCustomFields(readJson(readResource(DEFAULT_ORG + "custom-fields.json"), "custom-fields.json"));
        return schema;
    }

    /**
     * An org from a directory of fixture files ({@code *.json}, one object each), plus an optional
     * {@code custom-fields.json} mapping object names to extra fields.
     */
    public static Schema fromDirectory(Path directory) {
        Schema schema = new Schema();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                JsonNode json = readJson(Files.readString(file, StandardCharsets.UTF_8), file.toString());
                if (file.getFileName().toString().equals("custom-fields.json")) {
                    continue;
                }
                schema.add(parseObject(json));
            }
            Path custom = directory.resolve("custom-fields.json");
            if (Files.exists(custom)) {
                schema.addCustomFields(readJson(Files.readString(custom, StandardCharsets.UTF_8), custom.toString()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read fixtures from " + directory, e);
        }
        if (schema.objects().isEmpty()) {
            throw new IllegalArgumentException("No object fixtures (*.json) in " + directory);
        }
        return schema;
    }

    private void addCustomFields(JsonNode byObject) {
        byObject.properties().forEach(entry -> {
            SObjectDef object = require(entry.getKey());
            List<FieldDef> fields = new ArrayList<>(object.fields());
            int slot = object.nextSlot();
            for (JsonNode field : entry.getValue()) {
                fields.add(parseField(field, slot++));
            }
            replace(object.withFields(fields, slot));
        });
    }

    public void add(SObjectDef object) {
        if (byLowerName.putIfAbsent(lower(object.name()), object) != null) {
            throw new IllegalArgumentException("Object " + object.name() + " is defined twice");
        }
        if (object.keyPrefix() != null && byKeyPrefix.putIfAbsent(object.keyPrefix(), object) != null) {
            throw new IllegalArgumentException("Key prefix " + object.keyPrefix() + " of " + object.name()
                    + " is already used by " + byKeyPrefix.get(object.keyPrefix()).name());
        }
    }

    /** Swaps in a new definition of an existing object. */
    public void replace(SObjectDef object) {
        byLowerName.put(lower(object.name()), object);
        if (object.keyPrefix() != null) {
            byKeyPrefix.put(object.keyPrefix(), object);
        }
    }

    public Optional<SObjectDef> object(String name) {
        return Optional.ofNullable(byLowerName.get(lower(name)));
    }

    /** The object, or {@link OrgException} {@code INVALID_TYPE} naming it. */
    public SObjectDef require(String name) {
        return object(name).orElseThrow(() -> new OrgException(400, "INVALID_TYPE",
                "sObject type '" + name + "' is not supported. If you are attempting to use a custom object, be sure"
                        + " to append the '__c' after the entity name. Please reference your WSDL or the describe"
                        + " call for the appropriate names."));
    }

    public Optional<SObjectDef> byKeyPrefix(String prefix) {
        return Optional.ofNullable(byKeyPrefix.get(prefix));
    }

    public Collection<SObjectDef> objects() {
        return byLowerName.values().stream().sorted((a, b) -> a.name().compareTo(b.name())).toList();
    }

    /** Child relationships of {@code parent}: every reference field of every object that points at it. */
    public List<ChildRelationship> childRelationships(String parent) {
        List<ChildRelationship> children = new ArrayList<>();
        for (SObjectDef child : objects()) {
            for (FieldDef field : child.fields()) {
                if (field.type() == FieldType.REFERENCE && field.referenceTo().contains(parent)) {
                    children.add(new ChildRelationship(child.name(), field.name(), childRelationshipName(child, field),
                            field.isMasterDetail()));
                }
            }
        }
        return children;
    }

    /** A child relationship as describe lists it under {@code childRelationships}. */
    public record ChildRelationship(String childSObject, String field, String relationshipName, boolean cascadeDelete) {}

    /**
     * Child relationship names of standard reference fields that are not simply the child's plural label, and
     * fields that have none (null), as real describes show them.
     */
    private static final Map<String, String> STANDARD_CHILD_RELATIONSHIPS = standardChildRelationships();

    private static Map<String, String> standardChildRelationships() {
        Map<String, String> names = new java.util.HashMap<>();
        names.put("Account.ParentId", "ChildAccounts");
        names.put("Account.MasterRecordId", null);
        names.put("Campaign.ParentId", "ChildCampaigns");
        names.put("Contact.ReportsToId", null);
        names.put("Contact.MasterRecordId", null);
        names.put("Lead.MasterRecordId", null);
        names.put("Lead.ConvertedAccountId", null);
        names.put("Lead.ConvertedContactId", null);
        names.put("Lead.ConvertedOpportunityId", null);
        names.put("Task.AccountId", null);
        names.put("Event.AccountId", null);
        names.put("User.ManagerId", "ManagedUsers");
        names.put("User.DelegatedApproverId", null);
        names.put("OpportunityLineItem.Product2Id", null);
        return names;
    }

    /** Standard naming: the child's plural label without spaces (Contacts, Opportunities); __r for custom fields. */
    private static String childRelationshipName(SObjectDef child, FieldDef field) {
        if (field.custom()) {
            return child.labelPlural().replaceAll("[^A-Za-z0-9]", "_") + "__r";
        }
        String key = child.name() + "." + field.name();
        if (STANDARD_CHILD_RELATIONSHIPS.containsKey(key)) {
            return STANDARD_CHILD_RELATIONSHIPS.get(key);
        }
        if (field.name().equals("CreatedById") || field.name().equals("LastModifiedById")
                || field.name().equals("OwnerId")) {
            return null;
        }
        // OpportunityLineItem's label is "Opportunity Product", but its relationship is named after the object.
        return plural(child.custom() ? child.label() : splitCamelCase(child.name())).replaceAll("[^A-Za-z0-9]", "");
    }

    private static String splitCamelCase(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1 $2");
    }

    /** English plural of a label, as Salesforce derives {@code labelPlural} when none is given. */
    static String plural(String label) {
        if (label.matches(".*[^aeiou]y")) {
            return label.substring(0, label.length() - 1) + "ies";
        }
        if (label.matches(".*(s|x|z|ch|sh)")) {
            return label + "es";
        }
        return label + "s";
    }

    static SObjectDef parseObject(JsonNode json) {
        String name = text(json, "name", null);
        if (name == null) {
            throw new IllegalArgumentException("Object fixture without 'name'");
        }
        List<FieldDef> fields = new ArrayList<>();
        int slot = 0;
        for (JsonNode field : json.path("fields")) {
            fields.add(parseField(field, slot++));
        }
        String label = text(json, "label", name);
        boolean custom = json.has("custom") ? json.get("custom").asBoolean() : name.endsWith("__c");
        return new SObjectDef(name, label, text(json, "labelPlural", plural(label)), text(json, "keyPrefix", null),
                custom, bool(json, "createable", true), bool(json, "updateable", true), bool(json, "deletable", true),
                bool(json, "queryable", true), bool(json, "replicateable", true), fields, slot, 1);
    }

    /** Parses one describe-shaped field; {@code slot} is its storage position. */
    public static FieldDef parseField(JsonNode f, int slot) {
        String name = text(f, "name", null);
        if (name == null) {
            throw new IllegalArgumentException("Field without 'name': " + f);
        }
        FieldType type = FieldType.fromApiName(text(f, "type", "string"));
        List<String> referenceTo = new ArrayList<>();
        f.path("referenceTo").forEach(r -> referenceTo.add(r.asText()));
        List<FieldDef.PicklistValue> picklist = new ArrayList<>();
        for (JsonNode p : f.path("picklistValues")) {
            picklist.add(new FieldDef.PicklistValue(p.path("value").asText(), text(p, "label", p.path("value").asText()),
                    bool(p, "active", true), bool(p, "defaultValue", false)));
        }
        boolean systemField = name.equals("Id");
        return new FieldDef(name, text(f, "label", name), type, f.path("length").asInt(0),
                f.path("precision").asInt(0), f.path("scale").asInt(0), bool(f, "nillable", !systemField),
                bool(f, "createable", !systemField), bool(f, "updateable", !systemField), bool(f, "calculated", false),
                text(f, "calculatedFormula", null), bool(f, "externalId", false), bool(f, "idLookup", systemField),
                bool(f, "unique", false), bool(f, "caseSensitive", false), bool(f, "defaultedOnCreate", false),
                referenceTo, text(f, "relationshipName", null), text(f, "compoundFieldName", null),
                bool(f, "polymorphicForeignKey", referenceTo.size() > 1), bool(f, "restrictedPicklist", false),
                picklist, text(f, "extraTypeInfo", null),
                f.has("custom") ? f.get("custom").asBoolean() : name.endsWith("__c") || name.endsWith("__s"), slot);
    }

    private static String text(JsonNode node, String key, String fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? fallback : v.asText();
    }

    private static boolean bool(JsonNode node, String key, boolean fallback) {
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? fallback : v.asBoolean();
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static String readResource(String path) {
        try (InputStream in = Schema.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonNode readJson(String text, String source) {
        try {
            JsonNode node = JSON.readTree(text);
            if (!(node instanceof ObjectNode)) {
                throw new IllegalArgumentException(source + " does not hold a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " is not valid JSON: " + e.getMessage(), e);
        }
    }
}
