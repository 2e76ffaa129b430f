package dev.lockstep.emulator.demo;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.SObjectDef;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The writable fields of one object, read once from its describe so that generating a record costs no schema
 * look-ups. It keeps generated records valid for the org at hand: fields the object lacks (a custom fixture
 * directory may drop some) are left out, text is cut to the field's length, and picklist values come from the
 * describe.
 */
final class Shape {

    private final SObjectDef def;
    private final Map<Object, Object> shared;
    private final Map<String, FieldDef> writable = new HashMap<>();
    private final Map<String, List<String>> picklists = new HashMap<>();

    /**
     * @param shared values already handed out by this run, by value; {@link #putShared} returns the same instance
     *               for equal values
     */
    Shape(SObjectDef def, Map<Object, Object> shared) {
        this.def = def;
        this.shared = shared;
        for (FieldDef field : def.fields()) {
            if (!field.createable()) {
                continue;
            }
            writable.put(field.name(), field);
            List<String> values = new ArrayList<>();
            for (FieldDef.PicklistValue value : field.picklistValues()) {
                if (value.active()) {
                    values.add(value.value());
                }
            }
            if (!values.isEmpty()) {
                picklists.put(field.name(), List.copyOf(values));
            }
        }
    }

    String name() {
        return def.name();
    }

    /** An empty record sized for this object. */
    Map<String, Object> row() {
        return new HashMap<>(writable.size() * 2);
    }

    boolean has(String field) {
        return writable.containsKey(field);
    }

    /** Sets {@code field} in {@code row} if the object has it and {@code value} is not null. */
    void put(Map<String, Object> row, String field, Object value) {
        Object fitted = fit(field, value);
        if (fitted != null) {
            row.put(field, fitted);
        }
    }

    /**
     * As {@link #put}, but a value equal to one handed out before is replaced by that instance, so records share
     * it. Only for values drawn from a bounded set (streets, postal codes, rounded amounts): a million accounts
     * then hold a few thousand street strings rather than a million.
     */
    void putShared(Map<String, Object> row, String field, Object value) {
        Object fitted = fit(field, value);
        if (fitted != null) {
            Object previous = shared.putIfAbsent(fitted, fitted);
            row.put(field, previous != null ? previous : fitted);
        }
    }

    /**
     * The value as the org will store it, or null when the object has no such field: text cut to the field's
     * length, numbers at the field's scale (so that the org keeps this very instance rather than a rescaled copy).
     */
    private Object fit(String field, Object value) {
        FieldDef def = writable.get(field);
        if (def == null || value == null) {
            return null;
        }
        if (value instanceof String s && def.type().isText() && def.type() != FieldType.REFERENCE
                && def.length() > 0 && s.codePointCount(0, s.length()) > def.length()) {
            return s.substring(0, s.offsetByCodePoints(0, def.length()));
        }
        if (value instanceof BigDecimal number && def.type() != FieldType.INT && def.precision() > 0) {
            return number.setScale(Math.max(def.scale(), 0), RoundingMode.HALF_UP);
        }
        return value;
    }

    /** The active picklist values of {@code field} as the describe lists them; empty when it has none. */
    List<String> values(String field) {
        return picklists.getOrDefault(field, List.of());
    }

    /** A random active value of {@code field}, or {@code fallback} when the describe lists none. */
    String pick(String field, Random random, String fallback) {
        List<String> values = values(field);
        return values.isEmpty() ? fallback : values.get(random.nextInt(values.size()));
    }

    /** {@code preferred} if it is an active value of {@code field}, else a random one (or null if none). */
    String prefer(String field, String preferred, Random random) {
        List<String> values = values(field);
        if (values.contains(preferred)) {
            return preferred;
        }
        return values.isEmpty() ? null : values.get(random.nextInt(values.size()));
    }
}
