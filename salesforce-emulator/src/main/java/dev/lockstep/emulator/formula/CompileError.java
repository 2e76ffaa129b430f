package dev.lockstep.emulator.formula;

/**
 * A compile problem at an offset of the formula text, before it is known which field the formula belongs to;
 * {@link Formulas} turns it into a {@link FormulaException}. No stack trace: it is an expected outcome.
 */
final class CompileError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int position;

    CompileError(int position, String message) {
        super(message, null, false, false);
        this.position = position;
    }

    int position() {
        return position;
    }
}
