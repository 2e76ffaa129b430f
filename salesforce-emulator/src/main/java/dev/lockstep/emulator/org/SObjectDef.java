package dev.lockstep.emulator.org;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An sObject type: its describe flags and fields. Field look-ups are case-insensitive, as in SOQL and REST; the
 * field's own {@link FieldDef#name()} is the canonical case used in responses. Immutable; the {@link Schema}
 * swaps in a new definition when a field changes, with a higher {@link #revision}.
 */
public final class SObjectDef {

    private final String name;
    private final String label;
    private final String labelPlural;
    private final String keyPrefix;
    private final boolean custom;
    private final boolean createable;
    private final boolean updateable;
    private final boolean deletable;
    private final boolean queryable;
    private final boolean replicateable;
    private final Map<String, FieldDef> fieldsByLowerName;
    /** The same fields by their canonical name: most look-ups use it, and it spares lower-casing on hot paths. */
    private final Map<String, FieldDef> fieldsByName;
    private final int nextSlot;
    private final int revision;

    public SObjectDef(String name, String label, String labelPlural, String keyPrefix, boolean custom,
            boolean createable, boolean updateable, boolean deletable, boolean queryable, boolean replicateable,
            List<FieldDef> fields, int nextSlot, int revision) {
        this.name = name;
        this.label = label;
        this.labelPlural = labelPlural;
        this.keyPrefix = keyPrefix;
        this.custom = custom;
        this.createable = createable;
        this.updateable = updateable;
        this.deletable = deletable;
        this.queryable = queryable;
        this.replicateable = replicateable;
        Map<String, FieldDef> byName = new LinkedHashMap<>();
        Map<String, FieldDef> exact = new HashMap<>();
        for (FieldDef field : fields) {
            if (byName.put(lower(field.name()), field) != null) {
                throw new IllegalArgumentException(name + " defines field " + field.name() + " twice");
            }
            exact.put(field.name(), field);
        }
        this.fieldsByLowerName = Collections.unmodifiableMap(byName);
        this.fieldsByName = exact;
        this.nextSlot = nextSlot;
        this.revision = revision;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    public String name() {
        return name;
    }

    public String label() {
        return label;
    }

    public String labelPlural() {
        return labelPlural;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    public boolean custom() {
        return custom;
    }

    public boolean createable() {
        return createable;
    }

    public boolean updateable() {
        return updateable;
    }

    public boolean deletable() {
        return deletable;
    }

    public boolean queryable() {
        return queryable;
    }

    public boolean replicateable() {
        return replicateable;
    }

    /** Increases with every schema change of this object. */
    public int revision() {
        return revision;
    }

    int nextSlot() {
        return nextSlot;
    }

    public Collection<FieldDef> fields() {
        return fieldsByLowerName.values();
    }

    public Optional<FieldDef> field(String fieldName) {
        FieldDef field = fieldsByName.get(fieldName);
        return Optional.ofNullable(field != null ? field : fieldsByLowerName.get(lower(fieldName)));
    }

    public boolean hasField(String fieldName) {
        return fieldsByName.containsKey(fieldName) || fieldsByLowerName.containsKey(lower(fieldName));
    }

    /** The reference field whose {@code relationshipName} is {@code relationship} (e.g. {@code Owner} → OwnerId). */
    public Optional<FieldDef> relationship(String relationship) {
        return fields().stream()
                .filter(f -> f.type() == FieldType.REFERENCE && f.relationshipName() != null
                        && f.relationshipName().equalsIgnoreCase(relationship))
                .findFirst();
    }

    /** The components of a compound field (e.g. BillingStreet ... for BillingAddress), in describe order. */
    public List<FieldDef> components(String compoundName) {
        List<FieldDef> parts = new ArrayList<>();
        for (FieldDef f : fields()) {
            if (compoundName.equals(f.compoundFieldName()) && !f.name().equals(compoundName)) {
                parts.add(f);
            }
        }
        return parts;
    }

    /** A copy with {@code fields} as its fields and the revision bumped. */
    SObjectDef withFields(List<FieldDef> fields, int newNextSlot) {
        return new SObjectDef(name, label, labelPlural, keyPrefix, custom, createable, updateable, deletable,
                queryable, replicateable, fields, newNextSlot, revision + 1);
    }

    @Override
    public String toString() {
        return name;
    }
}
