package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.OrgException;
import java.util.List;

/**
 * A formula that does not compile: a syntax error, an unknown field or function, or mismatched types. Raised when
 * the schema is loaded or changed (never while reading records), so a broken formula is refused up front instead of
 * evaluating to null. The message names the object, the field and the position, for example
 * {@code Sync_Sample__c.Total__c: Field Amount__x does not exist. Check spelling. (line 1, column 1)}.
 *
 * <p>As an {@link OrgException} it answers HTTP 400 {@code FIELD_INTEGRITY_EXCEPTION} when it comes out of an admin
 * call that adds or changes a field. The error code is a modeled guess: Setup shows formula errors inline and the
 * metadata APIs report them as deploy problems, neither of which the emulator reproduces.
 */
public final class FormulaException extends OrgException {

    private static final long serialVersionUID = 1L;

    private final String object;
    private final String field;
    private final int position;
    private final String problem;

    FormulaException(String object, String field, String formula, int position, String problem) {
        super(400, "FIELD_INTEGRITY_EXCEPTION", object + "." + field + ": " + problem + " " + where(formula, position),
                List.of(field));
        this.object = object;
        this.field = field;
        this.position = position;
        this.problem = problem;
    }

    /** {@code (line L, column C)}, both from 1, of a 0-based offset into the formula text. */
    private static String where(String formula, int position) {
        int line = 1;
        int column = 1;
        for (int i = 0; i < position && i < formula.length(); i++) {
            if (formula.charAt(i) == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return "(line " + line + ", column " + column + ")";
    }

    /** The object of the formula field. */
    public String object() {
        return object;
    }

    /** The formula field's name. */
    public String field() {
        return field;
    }

    /** The 0-based offset in the formula text where the problem was found. */
    public int position() {
        return position;
    }

    /** What is wrong, in Salesforce's wording where known, without object, field and position. */
    public String problem() {
        return problem;
    }
}
