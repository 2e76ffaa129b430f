package dev.lockstep.emulator.formula;

/**
 * A formula failed for one record (VALUE of non-numeric text, an impossible DATE, a number too large for the field):
 * Salesforce shows {@code #Error!} for such a record, and the emulator answers null. No stack trace, as it is an
 * expected outcome on a hot path.
 */
final class EvalError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    EvalError(String message) {
        super(message, null, false, false);
    }
}
