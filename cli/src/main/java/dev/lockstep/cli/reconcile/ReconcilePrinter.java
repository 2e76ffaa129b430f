package dev.lockstep.cli.reconcile;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.lockstep.cli.output.Output;
import dev.lockstep.cli.output.Style.Tone;
import dev.lockstep.cli.output.Table;
import java.util.List;

/**
 * Shows what reconcile found (and what repair did): a summary table with one line per mapping, then, for each
 * mapping that differs, the missing records, extra rows, field differences, duplicate {@code sfid}s and orphaned
 * rows, each list cut at the limit with its full count. The same content as JSON for scripts.
 */
public final class ReconcilePrinter {

    private ReconcilePrinter() {
    }

    /** Prints the reports as tables. */
    public static void print(Output out, String title, List<ObjectReport> reports) {
        out.heading(title);
        Table summary = Table.of("OBJECT", "TABLE", "SALESFORCE", "LIVE ROWS", "MISSING", "EXTRA", "DIFFERING",
                "DUPLICATES", "ORPHANS", "RESULT").alignRight(2, 3, 4, 5, 6, 7, 8);
        for (ObjectReport r : reports) {
            if (r.problem() != null) {
                summary.row(r.mapping().objectName(), r.mapping().qualifiedTable(), "", "", "", "", "", "", "",
                        Table.cell(Tone.BAD, "not compared"));
                continue;
            }
            RecordMerge.Result m = r.records();
            summary.row(r.mapping().objectName(), r.mapping().qualifiedTable(), m.salesforceRecords(), m.liveRows(),
                    count(m.missingCount()), count(m.extraCount()), count(m.differingRecords()),
                    count(r.duplicates().total()), count(r.orphans().total()),
                    r.equal() ? Table.cell(Tone.GOOD, "equal") : Table.cell(Tone.WARN, "differs"));
        }
        out.table(summary);
        for (ObjectReport r : reports) {
            if (!r.equal()) {
                details(out, r);
            }
        }
    }

    private static Object count(long n) {
        return n == 0 ? "0" : Table.cell(Tone.WARN, n);
    }

    private static void details(Output out, ObjectReport r) {
        out.heading(r.mapping().objectName() + " (" + r.mapping().qualifiedTable() + ")");
        if (r.problem() != null) {
            out.line(Tone.BAD, "  " + r.problem());
            return;
        }
        RecordMerge.Result m = r.records();
        if (m.missingCount() > 0) {
            Table t = Table.of("ID", "WHY");
            m.missing().forEach(x -> t.row(x.id(), x.reason()));
            section(out, "Missing: live in Salesforce, no live row", m.missingCount(), t);
        }
        if (m.extraCount() > 0) {
            Table t = Table.of("SFID");
            m.extra().forEach(t::row);
            section(out, "Extra: live row, no live record in Salesforce", m.extraCount(), t);
        }
        if (m.fieldDifferenceCount() > 0) {
            Table t = Table.of("ID", "FIELD", "COLUMN", "SALESFORCE", "POSTGRES");
            m.fieldDifferences().forEach(d -> t.row(d.id(), d.field(), d.column(), d.salesforce(), d.postgres()));
            section(out, "Field differences (in " + m.differingRecords() + " record(s))", m.fieldDifferenceCount(),
                    t);
        }
        if (r.duplicates().total() > 0) {
            Table t = Table.of("SFID", "ROWS").alignRight(1);
            r.duplicates().shown().forEach(d -> t.row(d.sfid(), d.rows()));
            section(out, "Duplicate sfid: one record on several rows", r.duplicates().total(), t);
        }
        if (r.orphans().total() > 0) {
            Table t = Table.of("SFID", "FIELD", "COLUMN", "PARENT", "PARENT ID");
            r.orphans().shown().forEach(o -> t.row(o.sfid(), o.field(), o.column(), o.parentTable(), o.parentId()));
            section(out, "Orphans: the parent record has no row", r.orphans().total(), t);
        }
        if (!r.missingColumns().isEmpty()) {
            out.line("  Columns missing (fields not compared; lockstep deploy adds them): "
                    + String.join(", ", r.missingColumns()));
        }
        if (!r.notCompared().isEmpty()) {
            r.notCompared().forEach(n -> out.line(Tone.DIM, "  Not compared: " + n));
        }
        if (r.rowsWithoutSfid() > 0) {
            out.line(Tone.DIM, "  " + r.rowsWithoutSfid() + " row(s) without sfid (written by an application, not in"
                    + " Salesforce yet) were not compared");
        }
    }

    private static void section(Output out, String title, long total, Table table) {
        out.line("  " + title + ": " + total);
        out.table(table);
        if (table.size() < total) {
            out.line(Tone.DIM, "  ... " + (total - table.size()) + " more (--limit N shows more)");
        }
    }

    /** Prints what repair did. */
    public static void printRepair(Output out, List<Repair.Action> actions) {
        out.heading("Repair");
        Table t = Table.of("OBJECT", "CONNECTOR", "PHASE", "RE-READ FROM", "RECORDS TO RE-READ", "SOFT-DELETED",
                "DELETED").alignRight(4, 5, 6);
        for (Repair.Action a : actions) {
            t.row(a.mapping().objectName(), a.connector() == null ? "-" : a.connector(),
                    a.phaseBefore() == null ? "-" : a.phaseBefore(), a.resyncFrom() == null ? "-" : a.resyncFrom(),
                    a.resyncFrom() == null ? "-" : a.recordsToReread(), a.rowsSoftDeleted(), a.rowsDeleted());
        }
        out.table(t);
        for (Repair.Action a : actions) {
            a.leftAlone().forEach(l -> out.line(Tone.WARN, "  " + a.mapping().objectName() + ": not repaired: " + l));
        }
    }

    /** The reports as JSON: {@code {"equal": ..., "objects": [...]}}. */
    public static ObjectNode json(List<ObjectReport> reports) {
        ObjectNode root = Output.object();
        root.put("equal", reports.stream().allMatch(ObjectReport::equal));
        ArrayNode objects = root.putArray("objects");
        reports.forEach(r -> objects.add(json(r)));
        return root;
    }

    static ObjectNode json(ObjectReport r) {
        ObjectNode o = Output.object();
        o.put("object", r.mapping().objectName());
        o.put("table", r.mapping().qualifiedTable());
        o.put("equal", r.equal());
        if (r.problem() != null) {
            o.put("problem", r.problem());
            return o;
        }
        RecordMerge.Result m = r.records();
        ObjectNode counts = o.putObject("counts");
        counts.put("salesforce", m.salesforceRecords());
        counts.put("liveRows", m.liveRows());
        counts.put("deletedRows", m.deletedRows());
        counts.put("rowsWithoutSfid", r.rowsWithoutSfid());
        ArrayNode missing = found(o, "missing", m.missingCount());
        m.missing().forEach(x -> missing.addObject().put("id", x.id()).put("reason", x.reason().toString()));
        ArrayNode extra = found(o, "extra", m.extraCount());
        m.extra().forEach(extra::add);
        ArrayNode fields = found(o, "fieldDifferences", m.fieldDifferenceCount());
        ((ObjectNode) o.get("fieldDifferences")).put("records", m.differingRecords());
        m.fieldDifferences().forEach(d -> fields.addObject().put("id", d.id()).put("field", d.field())
                .put("column", d.column()).put("salesforce", d.salesforce()).put("postgres", d.postgres()));
        ArrayNode duplicates = found(o, "duplicates", r.duplicates().total());
        r.duplicates().shown().forEach(d -> duplicates.addObject().put("sfid", d.sfid()).put("rows", d.rows()));
        ArrayNode orphans = found(o, "orphans", r.orphans().total());
        r.orphans().shown().forEach(x -> orphans.addObject().put("sfid", x.sfid()).put("field", x.field())
                .put("column", x.column()).put("parentObject", x.parentObject()).put("parentTable", x.parentTable())
                .put("parentId", x.parentId()));
        r.missingColumns().forEach(o.putArray("missingColumns")::add);
        r.notCompared().forEach(o.putArray("notCompared")::add);
        return o;
    }

    private static ArrayNode found(ObjectNode parent, String name, long total) {
        ObjectNode node = parent.putObject(name);
        node.put("total", total);
        return node.putArray("shown");
    }

    /** What repair did, as JSON. */
    public static ArrayNode json(List<Repair.Action> actions, ArrayNode into) {
        for (Repair.Action a : actions) {
            ObjectNode o = into.addObject();
            o.put("object", a.mapping().objectName());
            o.put("table", a.mapping().qualifiedTable());
            o.put("connector", a.connector());
            o.put("phaseBefore", a.phaseBefore());
            o.put("resyncFrom", a.resyncFrom() == null ? null : a.resyncFrom().toString());
            if (a.resyncFrom() != null) {
                o.put("recordsToReread", a.recordsToReread());
            }
            o.put("rowsSoftDeleted", a.rowsSoftDeleted());
            o.put("rowsDeleted", a.rowsDeleted());
            a.leftAlone().forEach(o.putArray("leftAlone")::add);
        }
        return into;
    }
}
