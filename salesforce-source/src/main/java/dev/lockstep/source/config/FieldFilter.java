package dev.lockstep.source.config;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Which fields of one Salesforce object the connector maps, from {@code field.include.list} and
 * {@code field.exclude.list}: when fields of the object are included, only those; otherwise every field; minus the
 * excluded ones ({@code *} excludes all). {@code Id} is always mapped, since it is the record key. Field names
 * compare case-insensitively, as Salesforce's do. Base64 (blob) fields are mapped only when the include list names
 * them ({@link #includesByName}). Immutable.
 */
public final class FieldFilter {

    /** The field every record keeps. */
    public static final String ID = "Id";

    private static final FieldFilter ALL = new FieldFilter(Set.of(), Set.of(), false);

    private final Set<String> included;
    private final Set<String> excluded;
    private final boolean excludeAll;

    private FieldFilter(Set<String> included, Set<String> excluded, boolean excludeAll) {
        this.included = included;
        this.excluded = excluded;
        this.excludeAll = excludeAll;
    }

    /** Every field. */
    public static FieldFilter all() {
        return ALL;
    }

    /**
     * A filter from field names (without the object prefix).
     *
     * @param include the fields to keep; empty keeps every field
     * @param exclude the fields to drop; {@code *} drops every field but {@code Id}
     */
    public static FieldFilter of(Collection<String> include, Collection<String> exclude) {
        Set<String> in = lowerCase(include);
        Set<String> out = lowerCase(exclude);
        boolean all = out.remove("*");
        if (in.isEmpty() && out.isEmpty() && !all) {
            return ALL;
        }
        return new FieldFilter(Set.copyOf(in), Set.copyOf(out), all);
    }

    /** True when {@code fieldName} is mapped; always for {@code Id}. */
    public boolean includes(String fieldName) {
        if (fieldName == null) {
            return false;
        }
        if (fieldName.equalsIgnoreCase(ID)) {
            return true;
        }
        if (excludeAll) {
            return false;
        }
        String name = fieldName.toLowerCase(Locale.ROOT);
        return !excluded.contains(name) && (included.isEmpty() || included.contains(name));
    }

    /**
     * True when {@code fieldName} is mapped because the include list names it, not merely because an object without
     * include entries maps every field: fields that cost an API call per record (blobs) are mapped only so.
     */
    public boolean includesByName(String fieldName) {
        return fieldName != null && included.contains(fieldName.toLowerCase(Locale.ROOT)) && includes(fieldName);
    }

    /** True when every field is mapped (no include or exclude entry for the object). */
    public boolean includesAll() {
        return this == ALL || (included.isEmpty() && excluded.isEmpty() && !excludeAll);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldFilter other && included.equals(other.included) && excluded.equals(other.excluded)
                && excludeAll == other.excludeAll;
    }

    @Override
    public int hashCode() {
        return Objects.hash(included, excluded, excludeAll);
    }

    @Override
    public String toString() {
        if (includesAll()) {
            return "FieldFilter[all]";
        }
        return "FieldFilter[include=" + (included.isEmpty() ? "all" : new TreeSet<>(included)) + ", exclude="
                + (excludeAll ? "*" : new TreeSet<>(excluded)) + "]";
    }

    private static Set<String> lowerCase(Collection<String> names) {
        return names.stream().map(n -> n.trim().toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(
                HashSet::new));
    }
}
