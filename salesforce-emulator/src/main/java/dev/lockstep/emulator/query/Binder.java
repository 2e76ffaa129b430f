package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Schema;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.function.IntPredicate;

/**
 * Resolves a parsed statement against the org's schema and compiles it into a {@link Plan}: object and field
 * names (case-insensitive, answered in describe's case), parent paths up to five levels (polymorphic ones through
 * the {@code Name} entity), child relationships, literal types checked against field types, relative dates
 * turned into ranges of the org's current day. Errors carry Salesforce's codes and wording.
 */
final class Binder {

    private static final int MAX_DEPTH = 5;
    private static final int MAX_OFFSET = 2000;
    private static final int FIELDS_MAX_LIMIT = 200;

    /** The pseudo-object a polymorphic relationship ({@code Who}, {@code What}, {@code Owner} on Case) exposes. */
    static final SObjectDef NAME_ENTITY = nameEntity();

    private static final FieldDef COUNT_RESULT = synthetic("count", FieldType.INT);
    private static final FieldDef NUMBER_RESULT = synthetic("number", FieldType.DOUBLE);

    private final Schema schema;
    private final SoqlErrors errors;
    private final LocalDate today;

    private Binder(Org org, SoqlErrors errors) {
        this.schema = org.schema();
        this.errors = errors;
        this.today = LocalDate.ofInstant(org.clock().instant(), ZoneOffset.UTC);
    }

    /** Binds a top-level statement. Call under the org's read lock so the schema cannot change meanwhile. */
    static Plan bind(Org org, Ast.Select select, SoqlErrors errors) {
        return new Binder(org, errors).root(select);
    }

    private Plan root(Ast.Select s) {
        SObjectDef def = schema.object(s.from()).orElseThrow(() ->
                errors.at(s.objectToken(), SoqlErrors.INVALID_TYPE, SoqlErrors.unsupportedType(s.from())));
        if (!def.queryable()) {
            throw errors.at(s.objectToken(), SoqlErrors.INVALID_TYPE, "entity type " + def.name()
                    + " does not support query");
        }
        return plan(s, def, null, true);
    }

    /** A resolved field path: how to read it, its field, and its describe-cased names. */
    private record Resolved(Source source, FieldDef field, List<Source.Hop> hops, List<String> names,
            Ast.Path path) {

        String dotted() {
            return String.join(".", names);
        }

        String key() {
            return dotted().toLowerCase(Locale.ROOT);
        }

        boolean isRootId() {
            return hops.isEmpty() && field.type() == FieldType.ID;
        }
    }

    // ------------------------------------------------------------------------------------------------- plans

    private Plan plan(Ast.Select s, SObjectDef def, FieldDef joinField, boolean root) {
        int limit = s.limit() == null ? -1 : s.limit();
        int offset = s.offset() == null ? 0 : s.offset();
        if (offset > MAX_OFFSET) {
            throw new OrgException(400, "NUMBER_OUTSIDE_VALID_RANGE", "Maximum SOQL offset allowed for apiName "
                    + def.name() + " is " + MAX_OFFSET);
        }
        for (Ast.Item item : s.items()) {
            boolean unbounded = limit < 0 || limit > FIELDS_MAX_LIMIT;
            if (item instanceof Ast.Fields f && !f.kind().equals("STANDARD") && unbounded) {
                throw errors.at(f.token(), SoqlErrors.MALFORMED_QUERY,
                        "The SOQL FIELDS function must have a LIMIT of at most " + FIELDS_MAX_LIMIT);
            }
        }
        List<String> idLookup = new ArrayList<>();
        RowFilter where = s.where() == null ? RowFilter.ALL
                : condition(s.where(), def, s.alias(), root ? idLookup : null, true);
        List<String> lookup = root && !idLookup.isEmpty() ? idLookup : null;
        boolean countAll = s.items().stream().anyMatch(i -> i instanceof Ast.CountAll);
        if (countAll) {
            for (Ast.Item item : s.items()) {
                if (!(item instanceof Ast.CountAll)) {
                    throw errors.unexpected(item.token());
                }
            }
            if (s.items().size() > 1 || !s.groupBy().isEmpty()) {
                throw errors.unexpected(s.items().get(1 % s.items().size()).token());
            }
            return new Plan(def, List.of(), List.of(), List.of(), where, lookup, List.of(), limit, offset, true,
                    null, List.of(), joinField);
        }
        boolean aggregate = !s.groupBy().isEmpty() || s.items().stream().anyMatch(i -> i instanceof Ast.Aggregate);
        if (aggregate) {
            if (!root) {
                throw errors.unexpected(s.selectToken());
            }
            return aggregatePlan(s, def, where, lookup, limit, offset);
        }
        return recordPlan(s, def, joinField, where, lookup, limit, offset);
    }

    /** A column before slots are assigned. */
    private record Spec(String name, Resolved resolved, FieldDef field, Plan child) {}

    private Plan recordPlan(Ast.Select s, SObjectDef def, FieldDef joinField, RowFilter where, List<String> lookup,
            int limit, int offset) {
        List<Spec> specs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Ast.Item item : s.items()) {
            if (item instanceof Ast.FieldItem f) {
                Resolved r = resolve(def, s.alias(), f.path());
                if (!seen.add(r.key())) {
                    throw errors.at(f.token(), SoqlErrors.MALFORMED_QUERY, "duplicate field selected: " + r.dotted());
                }
                specs.add(new Spec(r.dotted(), r, r.field(), null));
            } else if (item instanceof Ast.Fields f) {
                for (FieldDef field : def.fields()) {
                    boolean wanted = f.kind().equals("ALL") || (f.kind().equals("CUSTOM") == field.custom());
                    if (wanted && seen.add(field.name().toLowerCase(Locale.ROOT))) {
                        Resolved r = new Resolved(Source.field(field), field, List.of(), List.of(field.name()), null);
                        specs.add(new Spec(field.name(), r, field, null));
                    }
                }
            } else if (item instanceof Ast.Subquery sub) {
                Schema.ChildRelationship relationship = childRelationship(def, sub.select());
                SObjectDef childDef = schema.require(relationship.childSObject());
                FieldDef join = childDef.field(relationship.field()).orElseThrow();
                Plan child = plan(sub.select(), childDef, join, false);
                if (child.countOnly) {
                    throw errors.unexpected(sub.select().items().get(0).token());
                }
                if (!seen.add(relationship.relationshipName().toLowerCase(Locale.ROOT))) {
                    throw errors.at(sub.token(), SoqlErrors.MALFORMED_QUERY, "duplicate field selected: "
                            + relationship.relationshipName());
                }
                specs.add(new Spec(relationship.relationshipName(), null, null, child));
            } else {
                throw errors.unexpected(item.token());
            }
        }
        int columnCount = specs.size();
        List<Plan.Column> columns = new ArrayList<>();
        List<Plan.ChildJoin> children = new ArrayList<>();
        List<Plan.RefSlot> refs = new ArrayList<>();
        List<Object> tree = new ArrayList<>();
        for (int i = 0; i < columnCount; i++) {
            Spec spec = specs.get(i);
            if (spec.child() != null) {
                columns.add(new Plan.Column(spec.name(), null, null, spec.child()));
                children.add(new Plan.ChildJoin(i, spec.child()));
                tree.add(new Plan.Child(spec.name(), i));
                continue;
            }
            Resolved r = spec.resolved();
            columns.add(new Plan.Column(spec.name(), r.source(), r.field(), null));
            List<Object> level = tree;
            for (int h = 0; h < r.hops().size(); h++) {
                String key = r.names().get(h);
                ParentBuilder parent = null;
                for (Object node : level) {
                    if (node instanceof ParentBuilder p && p.key.equals(key)) {
                        parent = p;
                    }
                }
                if (parent == null) {
                    int slot = columnCount + 1 + refs.size();
                    refs.add(new Plan.RefSlot(slot, Source.parentRef(r.hops().subList(0, h + 1))));
                    parent = new ParentBuilder(key, slot, r.hops().get(h).polymorphic());
                    level.add(parent);
                }
                level = parent.children;
            }
            level.add(new Plan.Leaf(r.field().name(), i, r.field()));
        }
        List<Plan.SortKey> order = new ArrayList<>();
        for (Ast.Order o : s.orderBy()) {
            if (o.aggregate() != null) {
                throw errors.unexpected(o.token());
            }
            Resolved r = resolve(def, s.alias(), o.path());
            if (!sortable(r.field())) {
                throw errors.at(o.token(), SoqlErrors.INVALID_FIELD, "field '" + r.dotted()
                        + "' can not be sorted in a query call");
            }
            order.add(new Plan.SortKey(r.source(), Comparators.forField(r.field()), o.descending(),
                    o.nullsFirst() == null || o.nullsFirst()));
        }
        return new Plan(def, columns, freeze(tree), refs, where, lookup, order, limit, offset, false, null, children,
                joinField);
    }

    /** A parent node of the JSON tree while it is being assembled. */
    private static final class ParentBuilder {
        final String key;
        final int slot;
        final boolean polymorphic;
        final List<Object> children = new ArrayList<>();

        ParentBuilder(String key, int slot, boolean polymorphic) {
            this.key = key;
            this.slot = slot;
            this.polymorphic = polymorphic;
        }
    }

    private static List<Plan.Node> freeze(List<Object> nodes) {
        List<Plan.Node> frozen = new ArrayList<>();
        for (Object node : nodes) {
            if (node instanceof ParentBuilder p) {
                frozen.add(new Plan.Parent(p.key, p.slot, p.polymorphic, freeze(p.children)));
            } else {
                frozen.add((Plan.Node) node);
            }
        }
        return List.copyOf(frozen);
    }

    private Plan aggregatePlan(Ast.Select s, SObjectDef def, RowFilter where, List<String> lookup, int limit,
            int offset) {
        List<Plan.Group> groups = new ArrayList<>();
        List<String> groupKeys = new ArrayList<>();
        for (Ast.Path path : s.groupBy()) {
            Resolved r = resolve(def, s.alias(), path);
            if (!groupable(r.field())) {
                throw errors.at(path.token(), SoqlErrors.INVALID_FIELD, "field '" + r.dotted()
                        + "' can not be grouped in a query call");
            }
            groups.add(new Plan.Group(r.source(), r.field()));
            groupKeys.add(r.key());
        }
        List<Plan.Agg> aggregates = new ArrayList<>();
        List<String> aggregateKeys = new ArrayList<>();
        List<Plan.Column> columns = new ArrayList<>();
        List<Integer> outputs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int unnamed = 0;
        for (Ast.Item item : s.items()) {
            String name;
            if (item instanceof Ast.FieldItem f) {
                Resolved r = resolve(def, s.alias(), f.path());
                int group = groupKeys.indexOf(r.key());
                if (group < 0) {
                    throw errors.at(f.token(), SoqlErrors.MALFORMED_QUERY, "Field must be grouped or aggregated: "
                            + r.dotted());
                }
                name = r.field().name();
                outputs.add(-1 - group);
                columns.add(new Plan.Column(name, null, r.field(), null));
            } else if (item instanceof Ast.Aggregate a) {
                Resolved r = resolve(def, s.alias(), a.path());
                checkAggregatable(a, r);
                name = a.alias() != null ? a.alias() : "expr" + unnamed++;
                outputs.add(aggregates.size());
                aggregates.add(new Plan.Agg(a.function(), r.source(), r.field()));
                aggregateKeys.add(a.function() + ":" + r.key());
                columns.add(new Plan.Column(name, null, resultField(a.function(), r.field()), null));
            } else {
                throw errors.unexpected(item.token());
            }
            if (!names.add(name.toLowerCase(Locale.ROOT))) {
                throw errors.at(item.token(), SoqlErrors.MALFORMED_QUERY, "duplicate alias: " + name);
            }
        }
        int groupBase = columns.size();
        List<Plan.CellSort> order = new ArrayList<>();
        for (Ast.Order o : s.orderBy()) {
            boolean nullsFirst = o.nullsFirst() == null || o.nullsFirst();
            if (o.path() != null) {
                Resolved r = resolve(def, s.alias(), o.path());
                int group = groupKeys.indexOf(r.key());
                if (group < 0) {
                    throw errors.at(o.token(), SoqlErrors.MALFORMED_QUERY,
                            "Ordered field must be grouped or aggregated: " + r.dotted());
                }
                order.add(new Plan.CellSort(groupBase + group, Comparators.forField(r.field()), o.descending(),
                        nullsFirst));
            } else {
                Ast.Aggregate a = o.aggregate();
                Resolved r = resolve(def, s.alias(), a.path());
                checkAggregatable(a, r);
                int index = aggregateKeys.indexOf(a.function() + ":" + r.key());
                if (index < 0) {
                    index = aggregates.size();
                    aggregates.add(new Plan.Agg(a.function(), r.source(), r.field()));
                    aggregateKeys.add(a.function() + ":" + r.key());
                }
                order.add(new Plan.CellSort(-1 - index, Comparators.forField(resultField(a.function(), r.field())),
                        o.descending(), nullsFirst));
            }
        }
        int aggregateBase = groupBase + groups.size();
        List<Plan.CellSort> placed = new ArrayList<>();
        for (Plan.CellSort sort : order) {
            int slot = sort.slot() < 0 ? aggregateBase + (-1 - sort.slot()) : sort.slot();
            placed.add(new Plan.CellSort(slot, sort.order(), sort.descending(), sort.nullsFirst()));
        }
        int[] out = outputs.stream().mapToInt(Integer::intValue).toArray();
        Plan.Aggregation aggregation = new Plan.Aggregation(List.copyOf(groups), List.copyOf(aggregates), out,
                List.copyOf(placed));
        return new Plan(def, columns, leaves(columns), List.of(), where, lookup, List.of(), limit, offset, false,
                aggregation, List.of(), null);
    }

    private static List<Plan.Node> leaves(List<Plan.Column> columns) {
        List<Plan.Node> nodes = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            nodes.add(new Plan.Leaf(columns.get(i).name(), i, columns.get(i).field()));
        }
        return nodes;
    }

    private void checkAggregatable(Ast.Aggregate a, Resolved r) {
        FieldType type = r.field().type();
        boolean ok = switch (a.function()) {
            case "COUNT", "COUNT_DISTINCT" -> filterable(r.field());
            case "SUM", "AVG" -> type.isNumeric();
            default -> filterable(r.field()) && type != FieldType.BOOLEAN && type != FieldType.MULTIPICKLIST;
        };
        if (!ok) {
            throw errors.at(a.path().token(), SoqlErrors.INVALID_FIELD, "field " + r.dotted()
                    + " does not support aggregate operator " + a.function());
        }
    }

    private static FieldDef resultField(String function, FieldDef field) {
        return switch (function) {
            case "COUNT", "COUNT_DISTINCT" -> COUNT_RESULT;
            case "SUM", "AVG" -> NUMBER_RESULT;
            default -> field;
        };
    }

    private Schema.ChildRelationship childRelationship(SObjectDef parent, Ast.Select sub) {
        for (Schema.ChildRelationship relationship : schema.childRelationships(parent.name())) {
            if (relationship.relationshipName() != null
                    && relationship.relationshipName().equalsIgnoreCase(sub.from())) {
                return relationship;
            }
        }
        throw errors.at(sub.objectToken(), SoqlErrors.INVALID_TYPE, SoqlErrors.badRelationshipInFrom(sub.from()));
    }

    // ------------------------------------------------------------------------------------------------- fields

    private Resolved resolve(SObjectDef def, String alias, Ast.Path path) {
        List<String> parts = path.parts();
        if (parts.size() > 1 && ((alias != null && parts.get(0).equalsIgnoreCase(alias))
                || (parts.get(0).equalsIgnoreCase(def.name()) && relationshipField(def, parts.get(0)) == null))) {
            parts = parts.subList(1, parts.size());
        }
        if (parts.size() - 1 > MAX_DEPTH) {
            throw errors.at(path.token(), SoqlErrors.MALFORMED_QUERY, "SOQL statements cannot query relationships"
                    + " that are more than " + MAX_DEPTH + " levels away from the root entity object.");
        }
        SObjectDef current = def;
        boolean polymorphic = false;
        List<Source.Hop> hops = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < parts.size() - 1; i++) {
            String relationship = parts.get(i);
            FieldDef reference = polymorphic ? null : relationshipField(current, relationship);
            if (reference == null) {
                throw errors.at(path.token(), SoqlErrors.INVALID_FIELD,
                        SoqlErrors.badRelationshipInPath(relationship));
            }
            polymorphic = reference.referenceTo().size() > 1 || reference.polymorphicForeignKey();
            SObjectDef target = null;
            if (!polymorphic) {
                target = reference.referenceTo().isEmpty() ? null
                        : schema.object(reference.referenceTo().get(0)).orElse(null);
                if (target == null) {
                    throw errors.at(path.token(), SoqlErrors.INVALID_FIELD,
                            SoqlErrors.badRelationshipInPath(relationship));
                }
            }
            hops.add(new Source.Hop(reference, target, polymorphic));
            names.add(reference.relationshipName());
            current = polymorphic ? NAME_ENTITY : target;
        }
        String leafName = parts.get(parts.size() - 1);
        SObjectDef owner = current;
        FieldDef leaf = owner.field(leafName).orElseThrow(() -> errors.at(path.token(), SoqlErrors.INVALID_FIELD,
                SoqlErrors.noSuchColumn(leafName, owner.name())));
        names.add(leaf.name());
        Source source;
        if (hops.isEmpty()) {
            source = Source.field(leaf);
        } else if (polymorphic) {
            source = Source.nameEntity(hops, leaf.name());
        } else {
            source = Source.path(hops, leaf);
        }
        return new Resolved(source, leaf, List.copyOf(hops), List.copyOf(names), path);
    }

    private static FieldDef relationshipField(SObjectDef def, String relationship) {
        for (FieldDef field : def.fields()) {
            if (field.type() == FieldType.REFERENCE && field.relationshipName() != null
                    && field.relationshipName().equalsIgnoreCase(relationship)) {
                return field;
            }
        }
        return null;
    }

    private static boolean filterable(FieldDef field) {
        return switch (field.type()) {
            case ADDRESS, LOCATION, BASE64, ENCRYPTEDSTRING -> false;
            case TEXTAREA -> field.length() <= 255;
            default -> true;
        };
    }

    private static boolean sortable(FieldDef field) {
        return filterable(field) && field.type() != FieldType.MULTIPICKLIST;
    }

    private static boolean groupable(FieldDef field) {
        return sortable(field) && switch (field.type()) {
            case DATETIME, DOUBLE, CURRENCY, PERCENT, TEXTAREA, TIME -> false;
            default -> true;
        };
    }

    // --------------------------------------------------------------------------------------------- conditions

    /**
     * Compiles a condition. {@code idLookup}, when not null, collects the Ids a top-level {@code Id = '...'} or
     * {@code Id IN (...)} pins the result to, so that the executor can fetch them instead of scanning.
     */
    private RowFilter condition(Ast.Cond cond, SObjectDef def, String alias, List<String> idLookup,
            boolean topLevel) {
        if (cond instanceof Ast.And and) {
            List<RowFilter> parts = new ArrayList<>();
            for (Ast.Cond part : and.parts()) {
                parts.add(condition(part, def, alias, idLookup, topLevel));
            }
            return RowFilter.and(parts);
        }
        if (cond instanceof Ast.Or or) {
            List<RowFilter> parts = new ArrayList<>();
            for (Ast.Cond part : or.parts()) {
                parts.add(condition(part, def, alias, idLookup, false));
            }
            return RowFilter.or(parts);
        }
        if (cond instanceof Ast.Not not) {
            return RowFilter.not(condition(not.inner(), def, alias, idLookup, false));
        }
        if (cond instanceof Ast.Compare compare) {
            Resolved r = filterField(def, alias, compare.path());
            RowFilter filter = compare(r, compare.operator(), compare.value());
            if (topLevel && idLookup != null && idLookup.isEmpty() && r.isRootId()
                    && compare.operator().is(Token.Kind.EQ) && compare.value() instanceof Ast.StringLit s) {
                idLookup.add(Ids.normalize(s.value()));
            }
            return filter;
        }
        if (cond instanceof Ast.InList in) {
            Resolved r = filterField(def, alias, in.path());
            RowFilter filter = in(r, in);
            if (topLevel && idLookup != null && idLookup.isEmpty() && r.isRootId() && !in.negated()
                    && in.values().stream().allMatch(v -> v instanceof Ast.StringLit)) {
                for (Ast.Literal value : in.values()) {
                    idLookup.add(Ids.normalize(((Ast.StringLit) value).value()));
                }
            }
            return filter;
        }
        if (cond instanceof Ast.Like like) {
            return like(filterField(def, alias, like.path()), like);
        }
        if (cond instanceof Ast.Includes includes) {
            return includes(filterField(def, alias, includes.path()), includes);
        }
        return semiJoin(filterField(def, alias, ((Ast.InSelect) cond).path()), (Ast.InSelect) cond);
    }

    private Resolved filterField(SObjectDef def, String alias, Ast.Path path) {
        Resolved r = resolve(def, alias, path);
        if (!filterable(r.field())) {
            throw errors.at(path.token(), SoqlErrors.INVALID_FIELD, "field '" + r.dotted()
                    + "' can not be filtered in a query call");
        }
        return r;
    }

    private enum Category { TEXT, MULTI, ID, BOOLEAN, NUMBER, DATE, DATETIME, TIME, OTHER }

    private static Category category(FieldDef field) {
        return switch (field.type()) {
            case ID, REFERENCE -> Category.ID;
            case MULTIPICKLIST -> Category.MULTI;
            case BOOLEAN -> Category.BOOLEAN;
            case INT, DOUBLE, CURRENCY, PERCENT -> Category.NUMBER;
            case DATE -> Category.DATE;
            case DATETIME -> Category.DATETIME;
            case TIME -> Category.TIME;
            default -> field.type().isText() ? Category.TEXT : Category.OTHER;
        };
    }

    private RowFilter compare(Resolved r, Token op, Ast.Literal literal) {
        Category category = category(r.field());
        boolean equality = op.is(Token.Kind.EQ) || op.is(Token.Kind.NE);
        if ((category == Category.BOOLEAN || category == Category.MULTI) && !equality) {
            throw invalidOperator(op, r.field());
        }
        if (literal instanceof Ast.NullLit) {
            return switch (op.kind()) {
                case EQ -> RowFilter.isNull(r.source());
                case NE -> RowFilter.notNull(r.source());
                default -> RowFilter.NONE;
            };
        }
        Comparator<Object> order = filterOrder(r.field());
        if (literal instanceof Ast.RelativeDate relative) {
            Object[] range = range(r, relative);
            Object low = range[0];
            Object high = range[1];
            return switch (op.kind()) {
                case EQ -> RowFilter.within(r.source(), order, low, high);
                case NE -> RowFilter.not(RowFilter.within(r.source(), order, low, high));
                case LT -> RowFilter.compare(r.source(), order, low, c -> c < 0);
                case LE -> RowFilter.compare(r.source(), order, high, c -> c < 0);
                case GT -> RowFilter.compare(r.source(), order, high, c -> c >= 0);
                default -> RowFilter.compare(r.source(), order, low, c -> c >= 0);
            };
        }
        Object value = coerce(r, literal);
        if (op.is(Token.Kind.EQ)) {
            return RowFilter.equalTo(r.source(), sameness(r.field()), value);
        }
        if (op.is(Token.Kind.NE)) {
            return RowFilter.not(RowFilter.equalTo(r.source(), sameness(r.field()), value));
        }
        IntPredicate accept = switch (op.kind()) {
            case LT -> c -> c < 0;
            case LE -> c -> c <= 0;
            case GT -> c -> c > 0;
            default -> c -> c >= 0;
        };
        return RowFilter.compare(r.source(), order, value, accept);
    }

    private RowFilter in(Resolved r, Ast.InList in) {
        Category category = category(r.field());
        Set<Object> keys = new HashSet<>();
        boolean includesNull = false;
        List<RowFilter> ranges = new ArrayList<>();
        Function<Object, Object> key = category == Category.MULTI
                ? v -> MultiPicklist.key(v.toString()) : v -> Comparators.groupKey(r.field(), v);
        for (Ast.Literal literal : in.values()) {
            if (literal instanceof Ast.NullLit) {
                includesNull = true;
            } else if (literal instanceof Ast.RelativeDate relative) {
                Object[] range = range(r, relative);
                ranges.add(RowFilter.within(r.source(), filterOrder(r.field()), range[0], range[1]));
            } else {
                keys.add(key.apply(coerce(r, literal)));
            }
        }
        RowFilter filter = RowFilter.in(r.source(), key, Set.copyOf(keys), includesNull);
        if (!ranges.isEmpty()) {
            ranges.add(filter);
            filter = RowFilter.or(ranges);
        }
        return in.negated() ? RowFilter.not(filter) : filter;
    }

    private RowFilter like(Resolved r, Ast.Like like) {
        Category category = category(r.field());
        if (category != Category.TEXT) {
            throw invalidOperator(like.operator(), r.field());
        }
        if (like.pattern() instanceof Ast.NullLit) {
            return RowFilter.NONE;
        }
        if (!(like.pattern() instanceof Ast.StringLit s)) {
            throw typeMismatch(r, like.pattern());
        }
        return RowFilter.like(r.source(), LikePattern.compile(s.raw()));
    }

    private RowFilter includes(Resolved r, Ast.Includes includes) {
        if (category(r.field()) != Category.MULTI) {
            throw errors.at(includes.operator(), SoqlErrors.INVALID_QUERY_FILTER_OPERATOR,
                    "includes or excludes operator only valid on multipicklist field");
        }
        List<Set<String>> wanted = new ArrayList<>();
        for (Ast.Literal literal : includes.values()) {
            if (literal instanceof Ast.NullLit) {
                continue;
            }
            if (!(literal instanceof Ast.StringLit s)) {
                throw typeMismatch(r, literal);
            }
            wanted.add(MultiPicklist.parts(s.value()));
        }
        RowFilter filter = RowFilter.includes(r.source(), List.copyOf(wanted));
        return includes.excludes() ? RowFilter.not(filter) : filter;
    }

    private RowFilter semiJoin(Resolved r, Ast.InSelect in) {
        if (category(r.field()) != Category.ID) {
            throw errors.at(in.operator(), SoqlErrors.INVALID_QUERY_FILTER_OPERATOR, "The left operand field in"
                    + " the where expression for outer query should be an id field for a semi/anti join");
        }
        Ast.Select sub = in.select();
        if (sub.items().size() != 1 || !(sub.items().get(0) instanceof Ast.FieldItem)) {
            throw errors.at(sub.selectToken(), SoqlErrors.MALFORMED_QUERY,
                    "The selected field in the semi/anti join subquery must be a single id field");
        }
        Plan inner = root(sub);
        if (inner.aggregate() || category(inner.columns.get(0).field()) != Category.ID) {
            throw errors.at(sub.selectToken(), SoqlErrors.MALFORMED_QUERY,
                    "The selected field in the semi/anti join subquery must be a single id field");
        }
        RowFilter filter = RowFilter.inSelect(r.source(), ctx -> Executor.values(inner, ctx));
        return in.negated() ? RowFilter.not(filter) : filter;
    }

    /** The bounds of a relative date literal in the field's type: LocalDate or UTC-midnight Instant. */
    private Object[] range(Resolved r, Ast.RelativeDate relative) {
        Category category = category(r.field());
        if (category != Category.DATE && category != Category.DATETIME) {
            throw typeMismatch(r, relative);
        }
        RelativeDates.Range range = RelativeDates.range(relative.name(), relative.n(), today);
        if (category == Category.DATE) {
            return new Object[] {range.start(), range.end()};
        }
        return new Object[] {midnight(range.start()), midnight(range.end())};
    }

    private static Instant midnight(LocalDate day) {
        return day.atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** The literal as a value of the field's Java type, or the error Salesforce gives for the mismatch. */
    private Object coerce(Resolved r, Ast.Literal literal) {
        Category category = category(r.field());
        switch (category) {
            case TEXT:
            case MULTI:
                if (literal instanceof Ast.StringLit s) {
                    return s.value();
                }
                break;
            case ID:
                if (literal instanceof Ast.StringLit s) {
                    String id = Ids.normalize(s.value());
                    if (id == null) {
                        throw errors.at(literal.token(), SoqlErrors.INVALID_QUERY_FILTER_OPERATOR,
                                "invalid ID field: " + s.value());
                    }
                    return id;
                }
                break;
            case BOOLEAN:
                if (literal instanceof Ast.BoolLit b) {
                    return b.value();
                }
                break;
            case NUMBER:
                if (literal instanceof Ast.NumberLit n) {
                    return n.value();
                }
                break;
            case DATE:
                if (literal instanceof Ast.DateLit d) {
                    return d.value();
                }
                break;
            case DATETIME:
                if (literal instanceof Ast.DateTimeLit d) {
                    return d.value();
                }
                break;
            case TIME:
                if (literal instanceof Ast.TimeLit t) {
                    return t.value();
                }
                break;
            default:
                if (literal instanceof Ast.StringLit s) {
                    return s.value();
                }
        }
        throw typeMismatch(r, literal);
    }

    private OrgException typeMismatch(Resolved r, Ast.Literal literal) {
        Category category = category(r.field());
        String type = switch (category) {
            case TEXT, MULTI, OTHER -> "string";
            case ID -> "id";
            case BOOLEAN -> "boolean";
            case NUMBER -> r.field().type() == FieldType.INT ? "integer" : "double";
            case DATE -> "date";
            case DATETIME -> "dateTime";
            case TIME -> "time";
        };
        boolean quoted = category == Category.TEXT || category == Category.MULTI || category == Category.ID
                || category == Category.OTHER;
        return errors.at(literal.token(), SoqlErrors.INVALID_FIELD, "value of filter criterion for field '"
                + r.path().dotted() + "' must be of type " + type + " and should " + (quoted ? "" : "not ")
                + "be enclosed in quotes");
    }

    private OrgException invalidOperator(Token op, FieldDef field) {
        String type = switch (field.type()) {
            case ID, REFERENCE -> "id";
            case INT -> "integer";
            case DOUBLE, CURRENCY, PERCENT -> "double";
            case DATETIME -> "dateTime";
            default -> field.type().apiName();
        };
        return errors.at(op, SoqlErrors.INVALID_QUERY_FILTER_OPERATOR, "invalid operator on " + type + " field");
    }

    /** Equality as SOQL sees it for the field's type. */
    private static BiPredicate<Object, Object> sameness(FieldDef field) {
        return switch (category(field)) {
            case TEXT -> field.caseSensitive() ? Object::equals
                    : (a, b) -> ((String) a).equalsIgnoreCase((String) b);
            case MULTI -> (a, b) -> MultiPicklist.key(a.toString()).equals(MultiPicklist.key(b.toString()));
            case NUMBER -> (a, b) -> Comparators.number(a, b) == 0;
            default -> Object::equals;
        };
    }

    /** Ordering in comparisons: like ORDER BY, except picklists compare as text. */
    private static Comparator<Object> filterOrder(FieldDef field) {
        if (field.type() == FieldType.PICKLIST) {
            return Comparators::text;
        }
        if (category(field) == Category.TEXT && field.caseSensitive()) {
            return (a, b) -> a.toString().compareTo(b.toString());
        }
        return Comparators.forField(field);
    }

    // -------------------------------------------------------------------------------------------- Name entity

    private static SObjectDef nameEntity() {
        Map<String, FieldType> fields = new LinkedHashMap<>();
        fields.put("Id", FieldType.ID);
        fields.put("Name", FieldType.STRING);
        fields.put("Type", FieldType.PICKLIST);
        fields.put("FirstName", FieldType.STRING);
        fields.put("LastName", FieldType.STRING);
        fields.put("Alias", FieldType.STRING);
        fields.put("Email", FieldType.EMAIL);
        fields.put("IsActive", FieldType.BOOLEAN);
        fields.put("Phone", FieldType.PHONE);
        fields.put("Title", FieldType.STRING);
        fields.put("Username", FieldType.STRING);
        fields.put("CommunityNickname", FieldType.STRING);
        fields.put("UserRoleId", FieldType.REFERENCE);
        fields.put("ProfileId", FieldType.REFERENCE);
        fields.put("RecordTypeId", FieldType.REFERENCE);
        fields.put("LastReferencedDate", FieldType.DATETIME);
        fields.put("LastViewedDate", FieldType.DATETIME);
        List<FieldDef> defs = new ArrayList<>();
        fields.forEach((name, type) -> defs.add(synthetic(name, type)));
        return new SObjectDef("Name", "Name", "Names", null, false, false, false, false, true, false, defs,
                defs.size(), 1);
    }

    /** A field that is not stored anywhere: Name-entity fields and aggregate results. */
    private static FieldDef synthetic(String name, FieldType type) {
        return new FieldDef(name, name, type, type.isText() ? 255 : 0, type == FieldType.DOUBLE ? 18 : 0, 0, true,
                false, false, false, null, false, false, false, false, false, List.of(), null, null, false, false,
                List.of(), null, false, -1);
    }
}
