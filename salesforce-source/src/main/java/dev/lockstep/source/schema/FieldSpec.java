package dev.lockstep.source.schema;

import dev.lockstep.common.FieldParameters;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * One field of a describe: its Connect schema and the conversion of its values, from the Java types the client
 * hands out ({@code FieldValues} for REST and Bulk records, {@code ChangeEvent} for events) to the Connect types
 * of its schema. Immutable.
 */
final class FieldSpec {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** The conversions; several describe types share one. */
    enum Kind {
        /** Text only: a value of another type is an error. */
        TEXT,
        /** anyType, json, complexvalue and types this release does not know: any scalar, as text. */
        ANY_TEXT,
        BOOLEAN, INT, LONG, DECIMAL, DOUBLE, DATE, DATETIME, TIME,
        /** Multi-select picklist as one {@code ;}-joined string. */
        MULTI_STRING,
        /** Multi-select picklist as an array of strings. */
        MULTI_ARRAY,
        BYTES,
        /** An address or geolocation: no value of its own, its components are fields. */
        COMPOUND
    }

    /** A value that does not fit the field; the caller adds object, record and value to the message. */
    static final class BadValue extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        BadValue(String reason) {
            super(reason);
        }
    }

    private final String name;
    private final String type;
    private final Kind kind;
    /** The describe scale, or -1 when the describe has none (then decimals are not rounded). */
    private final int scale;
    private final String compoundName;
    private final boolean calculated;
    private final boolean formula;
    private final boolean writable;
    private final Schema schema;

    private FieldSpec(JsonNode f, SchemaOptions options, boolean key) {
        this.name = f.path("name").asText();
        this.type = f.path("type").asText();
        this.kind = kind(type, options);
        this.scale = f.hasNonNull("scale") ? f.get("scale").asInt() : -1;
        String compound = f.path("compoundFieldName").asText(null);
        this.compoundName = compound == null || compound.isEmpty() || compound.equals(name) ? null : compound;
        this.calculated = f.path("calculated").asBoolean(false);
        // Roll-up summaries are calculated without a formula and are in change events; formulas are not
        // (reference §5.2). A describe without the key says nothing, so assume the formula: the caller then
        // re-reads rather than trusting an event for the field.
        this.formula = calculated && (!f.has("calculatedFormula") || f.hasNonNull("calculatedFormula"));
        this.writable = f.path("createable").asBoolean(false) || f.path("updateable").asBoolean(false);
        this.schema = kind == Kind.COMPOUND ? null : schema(f, key);
    }

    static FieldSpec of(JsonNode describeField, SchemaOptions options, boolean key) {
        return new FieldSpec(describeField, options, key);
    }

    private static Kind kind(String type, SchemaOptions options) {
        switch (type) {
            case "id":
            case "reference":
            case "string":
            case "picklist":
            case "textarea":
            case "email":
            case "phone":
            case "url":
            case "combobox":
            case "encryptedstring":
                return Kind.TEXT;
            case "boolean":
                return Kind.BOOLEAN;
            case "int":
                return Kind.INT;
            case "long":
                return Kind.LONG;
            case "double":
            case "percent":
            case "currency":
                return options.preciseDecimals() ? Kind.DECIMAL : Kind.DOUBLE;
            case "date":
                return Kind.DATE;
            case "datetime":
                return Kind.DATETIME;
            case "time":
                return Kind.TIME;
            case "multipicklist":
                return options.multipicklistAsArray() ? Kind.MULTI_ARRAY : Kind.MULTI_STRING;
            case "base64":
                return Kind.BYTES;
            case "address":
            case "location":
                return Kind.COMPOUND;
            default:
                // anyType, json, complexvalue and newer types: text is the nearest primitive (reference §2.4), as
                // the client's FieldValues reads them.
                return Kind.ANY_TEXT;
        }
    }

    private Schema schema(JsonNode f, boolean key) {
        SchemaBuilder b;
        switch (kind) {
            case BOOLEAN:
                b = SchemaBuilder.bool();
                break;
            case INT:
                b = SchemaBuilder.int32();
                break;
            case LONG:
                b = SchemaBuilder.int64();
                break;
            case DOUBLE:
                b = SchemaBuilder.float64();
                break;
            case DECIMAL:
                b = Decimal.builder(Math.max(scale, 0));
                if (f.path("precision").asInt(0) > 0) {
                    b.parameter(FieldParameters.DECIMAL_PRECISION, Integer.toString(f.path("precision").asInt()));
                }
                break;
            case DATE:
                b = Date.builder();
                break;
            case DATETIME:
                b = Timestamp.builder();
                break;
            case TIME:
                b = Time.builder();
                break;
            case MULTI_ARRAY:
                b = SchemaBuilder.array(Schema.STRING_SCHEMA);
                break;
            case BYTES:
                b = SchemaBuilder.bytes();
                break;
            default:
                b = SchemaBuilder.string();
                break;
        }
        b.parameter(FieldParameters.TYPE, type);
        nonZero(b, FieldParameters.LENGTH, f.path("length").asInt(0));
        nonZero(b, FieldParameters.PRECISION, f.path("precision").asInt(0));
        nonZero(b, FieldParameters.SCALE, f.path("scale").asInt(0));
        if (calculated) {
            b.parameter(FieldParameters.CALCULATED, "true");
        }
        if (!key) {
            b.optional();
        }
        return b.build();
    }

    private static void nonZero(SchemaBuilder b, String parameter, int value) {
        if (value != 0) {
            b.parameter(parameter, Integer.toString(value));
        }
    }

    String name() {
        return name;
    }

    String type() {
        return type;
    }

    Kind kind() {
        return kind;
    }

    /** The Connect schema; null for an address or geolocation compound, which is no field of {@code after}. */
    Schema schema() {
        return schema;
    }

    /** The compound this field is a component of ({@code BillingAddress}, {@code Name}), or null. */
    String compoundName() {
        return compoundName;
    }

    /** A formula field: its value is computed on read and change events never carry it. */
    boolean formula() {
        return formula;
    }

    /** Created or updated by writes (not computed from other fields). */
    boolean writable() {
        return writable;
    }

    /**
     * A value of this field in its Connect type; null stays null.
     *
     * @throws BadValue when the value does not fit the field
     */
    Object convert(Object value) {
        if (value == null) {
            return null;
        }
        switch (kind) {
            case TEXT:
                if (value instanceof String s) {
                    return s;
                }
                throw new BadValue("expected text");
            case ANY_TEXT:
                return anyText(value);
            case BOOLEAN:
                if (value instanceof Boolean b) {
                    return b;
                }
                throw new BadValue("expected a boolean");
            case INT:
                try {
                    return decimal(value).intValueExact();
                } catch (ArithmeticException e) {
                    throw new BadValue("expected a whole number within the range of int");
                }
            case LONG:
                try {
                    return decimal(value).longValueExact();
                } catch (ArithmeticException e) {
                    throw new BadValue("expected a whole number within the range of long");
                }
            case DECIMAL:
                // A Connect Decimal's values must have exactly the schema's scale.
                return decimal(value).setScale(Math.max(scale, 0), RoundingMode.HALF_UP);
            case DOUBLE:
                return scaled(decimal(value)).doubleValue();
            case DATE:
                if (value instanceof LocalDate d) {
                    return new java.util.Date(d.toEpochDay() * MILLIS_PER_DAY);
                }
                throw new BadValue("expected a LocalDate");
            case DATETIME:
                if (value instanceof Instant i) {
                    try {
                        return java.util.Date.from(i);
                    } catch (IllegalArgumentException e) {
                        throw new BadValue("the instant is out of range");
                    }
                }
                throw new BadValue("expected an Instant");
            case TIME:
                if (value instanceof LocalTime t) {
                    // Salesforce times have milliseconds, Connect's Time too.
                    return new java.util.Date(t.toNanoOfDay() / 1_000_000L);
                }
                throw new BadValue("expected a LocalTime");
            case MULTI_STRING: {
                List<String> values = multi(value);
                return values.isEmpty() ? null : String.join(";", values);
            }
            case MULTI_ARRAY: {
                List<String> values = multi(value);
                return values.isEmpty() ? null : values;
            }
            case BYTES:
                if (value instanceof byte[] bytes) {
                    return bytes;
                }
                if (value instanceof ByteBuffer buffer) {
                    byte[] bytes = new byte[buffer.remaining()];
                    buffer.duplicate().get(bytes);
                    return bytes;
                }
                if (value instanceof String) {
                    throw new BadValue("expected bytes; a REST record holds the blob's URL, not its content: "
                            + "download the blob (RestApi.blob) and put its bytes in the record first");
                }
                throw new BadValue("expected bytes");
            default:
                throw new BadValue("an address or geolocation has no value of its own, only components");
        }
    }

    private static String anyText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean || value instanceof LocalDate
                || value instanceof Instant || value instanceof LocalTime) {
            return value.toString();
        }
        throw new BadValue("expected text or a scalar value");
    }

    private static BigDecimal decimal(Object value) {
        if (value instanceof BigDecimal d) {
            return d;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigDecimal.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new BadValue("expected a finite number");
            }
            // The shortest decimal that reads back as the double: what Salesforce sent, not its binary expansion.
            return BigDecimal.valueOf(d);
        }
        throw new BadValue("expected a number");
    }

    /** Rounded half up to the describe's scale, as Salesforce stores it (and the client's FieldValues reads it). */
    private BigDecimal scaled(BigDecimal value) {
        return scale < 0 ? value : value.setScale(scale, RoundingMode.HALF_UP);
    }

    private static List<String> multi(Object value) {
        List<String> values = new ArrayList<>();
        if (value instanceof String s) {
            for (String v : s.split(";", -1)) {
                if (!v.isEmpty()) {
                    values.add(v);
                }
            }
            return List.copyOf(values);
        }
        if (value instanceof List<?> list) {
            for (Object v : list) {
                if (!(v instanceof String s)) {
                    throw new BadValue("expected a list of strings");
                }
                if (!s.isEmpty()) {
                    values.add(s);
                }
            }
            return List.copyOf(values);
        }
        throw new BadValue("expected a ;-joined string or a list of strings");
    }

    @Override
    public String toString() {
        return name + " (" + type + ")";
    }
}
