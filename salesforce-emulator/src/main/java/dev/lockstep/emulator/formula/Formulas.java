package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FormulaEvaluator;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.RecordView;

/** Formula fields. Being written: evaluates to null yet. */
public final class Formulas implements FormulaEvaluator {

    public Formulas(Org org) {}

    @Override
    public Object evaluate(FieldDef formulaField, RecordView record) {
        return null;
    }
}
