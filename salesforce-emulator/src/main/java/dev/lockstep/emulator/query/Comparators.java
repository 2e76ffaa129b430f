package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.RecordView;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How SOQL orders and compares the values of each field type: text case-insensitively, picklists in the order
 * their values are defined, Ids by their characters (which is creation order for the emulator's Ids), numbers
 * numerically whether stored as Integer or BigDecimal.
 */
final class Comparators {

    private Comparators() {}

    /** The ordering of non-null values of {@code field}. */
    static Comparator<Object> forField(FieldDef field) {
        FieldType type = field.type();
        switch (type) {
            case PICKLIST:
                if (!field.picklistValues().isEmpty()) {
                    return picklist(field.picklistValues());
                }
                return Comparators::text;
            case ID:
            case REFERENCE:
                return (a, b) -> ((String) a).compareTo((String) b);
            case BOOLEAN:
                return (a, b) -> Boolean.compare((Boolean) a, (Boolean) b);
            case INT:
            case DOUBLE:
            case CURRENCY:
            case PERCENT:
                return Comparators::number;
            case DATE:
            case DATETIME:
            case TIME:
                return Comparators::natural;
            default:
                return type.isText() ? Comparators::text : Comparators::natural;
        }
    }

    static int text(Object a, Object b) {
        return String.CASE_INSENSITIVE_ORDER.compare(a.toString(), b.toString());
    }

    static int number(Object a, Object b) {
        if (a instanceof Integer x && b instanceof Integer y) {
            return Integer.compare(x, y);
        }
        return decimal(a).compareTo(decimal(b));
    }

    static BigDecimal decimal(Object value) {
        BigDecimal d = RecordView.decimal(value);
        return d != null ? d : new BigDecimal(value.toString());
    }

    @SuppressWarnings("unchecked")
    static int natural(Object a, Object b) {
        if (a instanceof Comparable<?> && a.getClass() == b.getClass()) {
            return ((Comparable<Object>) a).compareTo(b);
        }
        return text(a, b);
    }

    private static Comparator<Object> picklist(List<FieldDef.PicklistValue> values) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < values.size(); i++) {
            position.putIfAbsent(values.get(i).value(), i);
        }
        int unknown = values.size();
        return (a, b) -> {
            int x = position.getOrDefault(a.toString(), unknown);
            int y = position.getOrDefault(b.toString(), unknown);
            return x != y ? Integer.compare(x, y) : text(a, b);
        };
    }

    /** A key under which equal values (in SOQL's sense) group together: text ignores case, numbers scale. */
    static Object groupKey(FieldDef field, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof String s && field.type() != FieldType.ID && field.type() != FieldType.REFERENCE
                && !field.caseSensitive()) {
            return s.toLowerCase(Locale.ROOT);
        }
        if (value instanceof Integer || value instanceof BigDecimal) {
            BigDecimal d = decimal(value);
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        return value;
    }
}
