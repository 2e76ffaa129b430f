package dev.lockstep.emulator.formula;

import dev.lockstep.emulator.formula.Formula.Dependency;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FormulaEvaluator;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Schema;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Formula fields: compiles each field's {@code calculatedFormula} once and evaluates it per record on read.
 * Installed on the org with {@link Org#setFormulas}, which (like every later schema change) calls
 * {@link #checkSchema}: every formula of the schema is compiled there, so a broken one (syntax, unknown field or
 * function, mismatched types, a circular reference, a field removed or retyped under it) is refused with a
 * {@link FormulaException} naming object, field and position, and never turns into a silent null.
 *
 * <p>Compiled formulas are cached per object and field definition. {@link FieldDef} is an immutable record that the
 * schema replaces when the field changes, so a changed formula is a new key; the cache is also rebuilt on every
 * schema check, as a formula's validity depends on the fields it reads.
 *
 * <p>Supported: field references, including parents through relationship names ({@code Account.Name},
 * {@code Owner.Alias}, {@code Account.Parent.Name}, {@code Account__r.Name}); number, text ({@code '...'} or
 * {@code "..."}), TRUE/FALSE and NULL literals; {@code + - * / ^}, unary minus, {@code &},
 * {@code = == != <> < <= > >=}, {@code && ||}; functions IF, CASE, AND, OR, NOT, ISBLANK, ISNULL, BLANKVALUE,
 * NULLVALUE, TEXT, VALUE, LEN, UPPER, LOWER, LEFT, RIGHT, MID, TRIM, CONTAINS, BEGINS, HYPERLINK, ROUND, ABS, MAX,
 * MIN, TODAY, NOW, DATE, DATEVALUE, DATETIMEVALUE, YEAR, MONTH, DAY, ISPICKVAL, INCLUDES. TODAY() and NOW() read the
 * org's clock, in GMT. See {@link Functions} for blank handling and {@link Formula} for type conversion and errors.
 */
public final class Formulas implements FormulaEvaluator {

    private final Org org;
    private final Map<Key, Formula> cache = new ConcurrentHashMap<>();

    /** A cache key: the formula field's object and its (immutable) definition. */
    private record Key(String object, FieldDef field) {}

    public Formulas(Org org) {
        this.org = org;
    }

    @Override
    public Object evaluate(FieldDef formulaField, RecordView record) {
        Key key = new Key(record.def().name(), formulaField);
        Formula formula = cache.get(key);
        if (formula == null) {
            // Only reached for definitions the last schema check did not see; compiling again is cheap and safe.
            formula = compile(record.def(), formulaField);
            cache.put(key, formula);
        }
        return formula.evaluate(record);
    }

    /**
     * Compiles every formula field of {@code schema} and checks for circular references; replaces the cache with
     * the result.
     *
     * @throws FormulaException for the first formula that does not compile
     */
    @Override
    public void checkSchema(Schema schema) {
        Map<String, Formula> compiled = new LinkedHashMap<>();
        for (SObjectDef def : schema.objects()) {
            for (FieldDef field : def.fields()) {
                if (field.calculated() && field.calculatedFormula() != null) {
                    compiled.put(key(def.name(), field.name()), compile(schema, def, field, org.clock()));
                }
            }
        }
        Set<String> done = new HashSet<>();
        for (Formula formula : compiled.values()) {
            checkCycles(formula, compiled, new ArrayList<>(), done);
        }
        cache.clear();
        for (Formula formula : compiled.values()) {
            cache.put(new Key(formula.object(), formula.field()), formula);
        }
    }

    /**
     * Compiles a formula field of {@code object} against the org's current schema, without caching it.
     *
     * @throws FormulaException when it does not compile
     */
    public Formula compile(SObjectDef object, FieldDef field) {
        return compile(org.schema(), object, field, org.clock());
    }

    static Formula compile(Schema schema, SObjectDef object, FieldDef field, Clock clock) {
        String text = field.calculatedFormula() == null ? "" : field.calculatedFormula();
        try {
            FormulaType expected = FormulaType.resultOf(field.type());
            if (expected == null) {
                throw new CompileError(0, "Formula fields of type " + field.type().apiName()
                        + " are not supported");
            }
            List<Dependency> dependencies = new ArrayList<>();
            Node root = Parser.parse(text, (path, pos) -> resolve(schema, object, path, pos, dependencies));
            if ((root.type == FormulaType.PICKLIST || root.type == FormulaType.MULTIPICKLIST)
                    && root.fieldName() != null) {
                throw new CompileError(root.pos, "Field " + root.fieldName() + " is a picklist field. Picklist"
                        + " fields are only supported in certain functions.");
            }
            if (!root.type.fits(expected)) {
                throw new CompileError(0, "Formula result is data type (" + root.type.label()
                        + "), incompatible with expected data type (" + expected.label() + ").");
            }
            return new Formula(object.name(), field, root, clock, dependencies);
        } catch (CompileError e) {
            throw new FormulaException(object.name(), field.name(), text, e.position(), e.getMessage());
        }
    }

    /** A field or relationship path of {@code start}, e.g. {@code Account.Owner.Alias}, as a typed node. */
    private static Node resolve(Schema schema, SObjectDef start, String path, int pos,
            List<Dependency> dependencies) {
        String[] parts = path.split("\\.");
        List<SObjectDef> current = List.of(start);
        List<String> relationships = new ArrayList<>();
        int offset = pos;
        for (int i = 0; i < parts.length - 1; i++) {
            String relationship = parts[i];
            List<SObjectDef> targets = new ArrayList<>();
            for (SObjectDef def : current) {
                Optional<FieldDef> reference = def.relationship(relationship);
                // A polymorphic lookup (Owner on Case: Group or User) may reach several objects; a field behind it
                // must exist on at least one that the org has.
                reference.ifPresent(r -> r.referenceTo().forEach(target -> schema.object(target)
                        .filter(t -> !targets.contains(t)).ifPresent(targets::add)));
            }
            if (targets.isEmpty()) {
                throw new CompileError(offset, "Field " + relationship + " does not exist. Check spelling.");
            }
            relationships.add(relationship);
            current = targets;
            offset += relationship.length() + 1;
        }
        String name = parts[parts.length - 1];
        for (SObjectDef def : current) {
            Optional<FieldDef> found = def.field(name);
            if (found.isEmpty()) {
                continue;
            }
            FieldDef field = found.get();
            FormulaType type = FormulaType.of(field.type());
            if (type == null) {
                throw new CompileError(offset, "Field " + field.name() + " may not be used in this type of formula");
            }
            if (field.calculated() && field.calculatedFormula() != null) {
                dependencies.add(new Dependency(def.name(), field.name(), pos));
            }
            return new Node.FieldRef(pos, type, path, relationships, field.name());
        }
        throw new CompileError(offset, "Field " + name + " does not exist. Check spelling.");
    }

    /** Depth-first walk of formula-to-formula references; a formula met again on the current path is a cycle. */
    private static void checkCycles(Formula formula, Map<String, Formula> all, List<Formula> path, Set<String> done) {
        String key = key(formula.object(), formula.field().name());
        if (done.contains(key)) {
            return;
        }
        if (path.contains(formula)) {
            Formula first = path.get(path.indexOf(formula));
            StringBuilder cycle = new StringBuilder();
            for (Formula f : path.subList(path.indexOf(formula), path.size())) {
                cycle.append(f.object()).append('.').append(f.field().name()).append(" -> ");
            }
            cycle.append(first.object()).append('.').append(first.field().name());
            int at = path.indexOf(formula);
            Formula second = at + 1 < path.size() ? path.get(at + 1) : first;
            int pos = first.dependencies().stream()
                    .filter(d -> d.object().equals(second.object()) && d.field().equals(second.field().name()))
                    .mapToInt(Dependency::pos).findFirst().orElse(0);
            throw new FormulaException(first.object(), first.field().name(), first.expression(), pos,
                    "Circular formula reference: " + cycle);
        }
        path.add(formula);
        for (Dependency dependency : formula.dependencies()) {
            Formula next = all.get(key(dependency.object(), dependency.field()));
            if (next != null) {
                checkCycles(next, all, path, done);
            }
        }
        path.remove(path.size() - 1);
        done.add(key);
    }

    private static String key(String object, String field) {
        return (object + "." + field).toLowerCase(Locale.ROOT);
    }
}
