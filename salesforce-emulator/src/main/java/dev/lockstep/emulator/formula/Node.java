package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

/**
 * A node of a compiled formula: its static type, where it starts in the text, and how to evaluate it. Runtime
 * values are BigDecimal (numbers), String (text and picklists), Boolean, LocalDate, Instant (date/time) and
 * LocalTime; null is a blank value.
 */
abstract class Node {

    final int pos;
    final FormulaType type;

    Node(int pos, FormulaType type) {
        this.pos = pos;
        this.type = type;
    }

    abstract Object eval(Env env);

    /** How error messages name this node when it is a field; null for anything else. */
    String fieldName() {
        return null;
    }

    /** How a function or operator computes its value from its (unevaluated) arguments. */
    @FunctionalInterface
    interface Impl {
        Object apply(Node[] args, Env env);
    }

    /** A number, text, boolean or NULL literal. */
    static final class Literal extends Node {

        private final Object value;

        Literal(int pos, FormulaType type, Object value) {
            super(pos, type);
            this.value = value;
        }

        @Override
        Object eval(Env env) {
            return value;
        }

        /** The literal's value, for checks that need a constant (ISPICKVAL's value). */
        Object value() {
            return value;
        }
    }

    /** A function call or an operator applied to its arguments. */
    static final class Call extends Node {

        private final Impl impl;
        private final Node[] args;

        Call(int pos, FormulaType type, Impl impl, List<Node> args) {
            super(pos, type);
            this.impl = impl;
            this.args = args.toArray(new Node[0]);
        }

        @Override
        Object eval(Env env) {
            return impl.apply(args, env);
        }
    }

    /**
     * A field of the record, or of a parent reached through relationship names ({@code Account.Owner.Alias}).
     * Resolution was checked at compile time; at run time the field's definition is looked up again per object
     * definition (remembered until the schema changes), as slots and definitions may have been replaced since.
     */
    static final class FieldRef extends Node {

        private final String path;
        private final String[] relationships;
        private final String field;
        private volatile Resolved resolved;

        /** The field's definition as last found on an object definition. */
        private record Resolved(SObjectDef def, FieldDef field) {}

        FieldRef(int pos, FormulaType type, String path, List<String> relationships, String field) {
            super(pos, type);
            this.path = path;
            this.relationships = relationships.toArray(new String[0]);
            this.field = field;
        }

        @Override
        String fieldName() {
            return path;
        }

        @Override
        Object eval(Env env) {
            RecordView view = env.record;
            for (String relationship : relationships) {
                Optional<RecordView> parent = view.parent(relationship);
                if (parent.isEmpty()) {
                    // A blank lookup makes every field behind it blank, as in Salesforce.
                    return null;
                }
                view = parent.get();
            }
            FieldDef definition = definition(view.def());
            Object value = view.get(definition);
            if (value instanceof Integer i) {
                return BigDecimal.valueOf(i);
            }
            if (value instanceof BigDecimal percent && definition.type() == FieldType.PERCENT) {
                // Formulas see a percent as a fraction: 12.5 % is 0.125, so Amount__c * Discount__c just works.
                return percent.movePointLeft(2);
            }
            return value;
        }

        private FieldDef definition(SObjectDef def) {
            Resolved r = resolved;
            if (r != null && r.def == def) {
                return r.field;
            }
            FieldDef definition = def.field(field)
                    .orElseThrow(() -> new EvalError("Field " + path + " does not exist on " + def.name()));
            resolved = new Resolved(def, definition);
            return definition;
        }
    }
}
