package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.RecordView;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.DateTimeException;
import java.util.List;

/**
 * One compiled formula field: parsed and type-checked once, evaluated per record. The value is converted to the
 * field's type so that every API shows it typed: currency, double and percent as BigDecimal rounded half-up to the
 * field's scale (a percent formula's fraction becomes percent points: 0.25 is 25, as percent fields hold it, and a
 * percent field read by a formula is a fraction); int as Integer; text truncated to the field's length, with empty text read as null; checkbox as
 * Boolean; date, date/time and time as LocalDate, Instant and LocalTime.
 *
 * <p>A formula that fails for one record (division by zero, VALUE of non-numeric text, an impossible DATE, a
 * result too large for the field's precision) is blank for that record, where Salesforce would show
 * {@code #Error!}: the REST API has no way to carry {@code #Error!} in a number field, and a sync test wants a
 * well-typed value. A checkbox formula is never blank and reads false instead.
 */
public final class Formula {

    /** A formula field this one reads, directly or through a relationship, for cycle detection. */
    record Dependency(String object, String field, int pos) {}

    private final String object;
    private final FieldDef field;
    private final Node root;
    private final Clock clock;
    private final List<Dependency> dependencies;

    Formula(String object, FieldDef field, Node root, Clock clock, List<Dependency> dependencies) {
        this.object = object;
        this.field = field;
        this.root = root;
        this.clock = clock;
        this.dependencies = List.copyOf(dependencies);
    }

    /** The object the formula field belongs to. */
    public String object() {
        return object;
    }

    /** The formula field's definition. */
    public FieldDef field() {
        return field;
    }

    /** The formula text. */
    public String expression() {
        return field.calculatedFormula();
    }

    /** The static type of the expression, before conversion to the field's type. */
    public FormulaType type() {
        return root.type;
    }

    List<Dependency> dependencies() {
        return dependencies;
    }

    /** The formula's value for {@code record}, converted to the field's type; call under the org's read lock. */
    public Object evaluate(RecordView record) {
        Object value;
        try {
            value = root.eval(new Env(record, clock));
        } catch (EvalError | ArithmeticException | DateTimeException | NumberFormatException e) {
            value = null;
        }
        return convert(value);
    }

    private Object convert(Object value) {
        FieldType type = field.type();
        if (type == FieldType.BOOLEAN) {
            return value == Boolean.TRUE;
        }
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal number) {
            return number(number, type);
        }
        if (value instanceof String text) {
            if (text.isEmpty()) {
                return null;
            }
            int length = field.length();
            if (length > 0 && text.codePointCount(0, text.length()) > length) {
                return text.substring(0, text.offsetByCodePoints(0, length));
            }
            return text;
        }
        return value;
    }

    private Object number(BigDecimal number, FieldType type) {
        if (type == FieldType.INT) {
            try {
                return number.setScale(0, RoundingMode.HALF_UP).intValueExact();
            } catch (ArithmeticException e) {
                return null;
            }
        }
        // A percent formula computes a fraction (0.25) and the field holds percent points (25), as percent fields do.
        BigDecimal value = type == FieldType.PERCENT ? number.movePointRight(2) : number;
        BigDecimal scaled = value.setScale(Math.max(field.scale(), 0), RoundingMode.HALF_UP);
        if (field.precision() > 0 && scaled.precision() - scaled.scale() > field.precision() - field.scale()) {
            // More integer digits than the field holds: #Error! in Salesforce.
            return null;
        }
        return scaled;
    }

    @Override
    public String toString() {
        return object + "." + field.name() + " = " + expression();
    }
}
