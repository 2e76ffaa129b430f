package dev.lockstep.emulator.org;

/** Computes a formula field's value for one record (see {@code Formulas}). Called under the org's read lock. */
@FunctionalInterface
public interface FormulaEvaluator {

    Object evaluate(FieldDef formulaField, RecordView record);
}
