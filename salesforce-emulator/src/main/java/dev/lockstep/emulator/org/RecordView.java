package dev.lockstep.emulator.org;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A read-only view of one record, resolving what is not stored: compound fields (address, geolocation) from their
 * components, and formula fields, evaluated on every read so they follow the fields and parents they name.
 * Use it inside {@link Org#read}; a view kept after the read lock is released may see later writes.
 */
public final class RecordView {

    private final Org org;
    private final SObjectDef def;
    private final StoredRecord record;

    RecordView(Org org, SObjectDef def, StoredRecord record) {
        this.org = org;
        this.def = def;
        this.record = record;
    }

    public String id() {
        return record.id;
    }

    public SObjectDef def() {
        return def;
    }

    public boolean isDeleted() {
        return record.deleted;
    }

    /** The value of a field by (case-insensitive) name, or null; unknown names are null too. */
    public Object get(String field) {
        return def.field(field).map(this::get).orElse(null);
    }

    public Object get(FieldDef field) {
        if (field.calculated() && field.calculatedFormula() != null) {
            return org.formulas().evaluate(field, this);
        }
        if (field.type() == FieldType.ADDRESS) {
            return address(field);
        }
        if (field.type() == FieldType.LOCATION) {
            return location(field);
        }
        return record.get(field.slot());
    }

    /** The parent record through a relationship name (e.g. {@code Owner}, {@code Account}), if set and present. */
    public Optional<RecordView> parent(String relationshipName) {
        return def.relationship(relationshipName).flatMap(f -> {
            Object id = record.get(f.slot());
            return id == null ? Optional.empty() : org.view((String) id);
        });
    }

    /** Every field with its value, in describe order, compound and formula fields included. */
    public Map<String, Object> values() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (FieldDef field : def.fields()) {
            values.put(field.name(), get(field));
        }
        return values;
    }

    private Map<String, Object> address(FieldDef compound) {
        Map<String, Object> parts = new LinkedHashMap<>();
        boolean any = false;
        for (FieldDef part : def.components(compound.name())) {
            Object value = record.get(part.slot());
            any |= value != null;
            parts.put(componentKey(compound.name(), part.name()), value);
        }
        return any ? parts : null;
    }

    private Map<String, Object> location(FieldDef compound) {
        Object latitude = null;
        Object longitude = null;
        for (FieldDef part : def.components(compound.name())) {
            String key = componentKey(compound.name(), part.name());
            if (key.equals("latitude")) {
                latitude = record.get(part.slot());
            } else if (key.equals("longitude")) {
                longitude = record.get(part.slot());
            }
        }
        if (latitude == null && longitude == null) {
            return null;
        }
        Map<String, Object> location = new LinkedHashMap<>();
        location.put("latitude", latitude);
        location.put("longitude", longitude);
        return location;
    }

    /**
     * The key of a component inside a compound value, as REST writes it: BillingStreet in BillingAddress → street;
     * Address__City__s in Address__c → city; Location__Latitude__s in Location__c → latitude.
     */
    static String componentKey(String compound, String component) {
        String name = componentName(compound, component);
        return name.isEmpty() ? name : name.substring(0, 1).toLowerCase(Locale.ROOT) + name.substring(1);
    }

    /**
     * The name of a component inside its compound, as change events write it: BillingStreet → Street,
     * Address__City__s → City, Location__Latitude__s → Latitude; a person name's parts keep their names (FirstName).
     */
    public static String componentName(String compound, String component) {
        boolean custom = compound.endsWith("__c");
        String stem = custom ? compound.substring(0, compound.length() - 3) : compound;
        String rest = component.endsWith("__s") ? component.substring(0, component.length() - 3) : component;
        if (!custom && stem.equals("Name")) {
            return rest;
        }
        // Standard compounds share a prefix with their parts (BillingAddress: BillingStreet); custom ones the
        // whole stem (Address__c: Address__Street__s).
        if (!custom && stem.endsWith("Address")) {
            stem = stem.substring(0, stem.length() - "Address".length());
        }
        if (rest.startsWith(stem)) {
            rest = rest.substring(stem.length());
        }
        return rest.startsWith("__") ? rest.substring(2) : rest;
    }

    /** A number as a BigDecimal, for formulas and comparisons. */
    public static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Integer i) {
            return BigDecimal.valueOf(i);
        }
        return null;
    }
}
