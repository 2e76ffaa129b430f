package dev.lockstep.emulator.org;

/** Computes a formula field's value for one record (see {@code Formulas}). Called under the org's read lock. */
@FunctionalInterface
public interface FormulaEvaluator {

    Object evaluate(FieldDef formulaField, RecordView record);

    /**
     * Checks every formula of {@code schema}, which already holds a pending change (or is the schema being
     * installed); throwing refuses the change, which the org then rolls back. Called under the org's write lock,
     * when the evaluator is installed and on every field added, removed or retyped, so a formula that does not
     * compile fails when it is defined or broken, not when a record is read.
     */
    default void checkSchema(Schema schema) {}
}
