package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one value of a row while a query runs: a field of the record itself, or a field reached through parent
 * relationships ({@code Account.Owner.Name}). Bound once per query, so rows are read without name look-ups.
 */
interface Source {

    Object get(RecordView row, Ctx ctx);

    /** One step up a relationship: the reference field and, unless polymorphic, the parent's object. */
    record Hop(FieldDef reference, SObjectDef target, boolean polymorphic) {}

    /** The identity of a parent record, kept in result rows for its {@code attributes}. */
    record ParentRef(String type, String id) {}

    /** A field of the row's own record. */
    static Source field(FieldDef field) {
        return (row, ctx) -> row.get(field);
    }

    /** The parent record at the end of {@code hops}, or null when a reference on the way is empty. */
    static RecordView walk(List<Hop> hops, RecordView row, Ctx ctx) {
        RecordView view = row;
        for (int i = 0, n = hops.size(); i < n; i++) {
            Object id = view.get(hops.get(i).reference());
            if (id == null) {
                return null;
            }
            view = ctx.parent((String) id);
            if (view == null) {
                return null;
            }
        }
        return view;
    }

    /** A field of a parent record; {@code leaf} belongs to the parent's object. */
    static Source path(List<Hop> hops, FieldDef leaf) {
        List<Hop> steps = List.copyOf(hops);
        SObjectDef expected = steps.get(steps.size() - 1).target();
        return (row, ctx) -> {
            RecordView parent = walk(steps, row, ctx);
            if (parent == null) {
                return null;
            }
            if (parent.def() == expected) {
                return parent.get(leaf);
            }
            return parent.def().field(leaf.name()).map(parent::get).orElse(null);
        };
    }

    /**
     * A field of a polymorphic parent, read through the {@code Name} entity: {@code Type} is the parent's object,
     * other fields are the parent's own field of that name, or null when its object has none.
     */
    static Source nameEntity(List<Hop> hops, String leafName) {
        List<Hop> steps = List.copyOf(hops);
        Map<SObjectDef, FieldDef> byObject = new HashMap<>();
        return (row, ctx) -> {
            RecordView parent = walk(steps, row, ctx);
            if (parent == null) {
                return null;
            }
            SObjectDef def = parent.def();
            if (leafName.equals("Type")) {
                return def.name();
            }
            FieldDef field = byObject.computeIfAbsent(def, d -> d.field(leafName).orElse(null));
            return field == null ? null : parent.get(field);
        };
    }

    /** The parent at the end of {@code hops} as a {@link ParentRef}, or null. */
    static Source parentRef(List<Hop> hops) {
        List<Hop> steps = List.copyOf(hops);
        return (row, ctx) -> {
            RecordView parent = walk(steps, row, ctx);
            return parent == null ? null : new ParentRef(parent.def().name(), parent.id());
        };
    }
}
