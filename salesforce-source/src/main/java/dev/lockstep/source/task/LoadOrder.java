package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The order a set of objects is loaded in, parents first, from the reference fields of their describes (a field of
 * type {@code reference} points at every object in its {@code referenceTo}). An object comes after every object of
 * the set its synced reference fields point at. Cycles (Account ↔ Contact) are broken at the object listed first:
 * the references back to it are ignored, so it comes after the objects it refers to; unrelated objects keep the
 * listed order. References to the object itself (Account.ParentId) and to objects outside the set order nothing.
 *
 * <p>The source task snapshots its objects in this order ({@link SnapshotOrder}); the command line's {@code plan}
 * shows it. Immutable.
 */
public final class LoadOrder {

    /**
     * One target of one reference field.
     *
     * @param object the object holding the field, e.g. {@code Contact}
     * @param field the reference field, e.g. {@code AccountId}
     * @param target the object it points at, e.g. {@code Account} (a polymorphic field has one per target)
     */
    public record Reference(String object, String field, String target) {

        /** A lookup of an object to itself, e.g. Account.ParentId. */
        public boolean self() {
            return object.equals(target);
        }

        @Override
        public String toString() {
            return object + "." + field + " → " + target;
        }
    }

    private final List<String> objects;
    private final List<String> order;
    private final List<Reference> references;

    private LoadOrder(List<String> objects, List<String> order, List<Reference> references) {
        this.objects = objects;
        this.order = order;
        this.references = references;
    }

    /**
     * The order of objects whose every reference field counts.
     *
     * @param describes each object's describe (as {@code RestApi.describe} returns it), in listed order
     */
    public static LoadOrder of(Map<String, JsonNode> describes) {
        return of(describes, (object, field) -> true);
    }

    /**
     * The order of objects whose synced reference fields count.
     *
     * @param describes each object's describe, in listed order
     * @param synced whether a field of an object is synced ({@code (object, field) -> ...}); references that are not
     *     synced order nothing, since nobody downstream sees them
     */
    public static LoadOrder of(Map<String, JsonNode> describes, BiPredicate<String, String> synced) {
        List<Reference> references = new ArrayList<>();
        Map<String, Set<String>> parents = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : describes.entrySet()) {
            String object = e.getKey();
            Set<String> objectParents = new LinkedHashSet<>();
            for (JsonNode field : e.getValue().path("fields")) {
                String name = field.path("name").asText();
                if (!"reference".equals(field.path("type").asText()) || !synced.test(object, name)) {
                    continue;
                }
                for (JsonNode target : field.path("referenceTo")) {
                    Reference reference = new Reference(object, name, target.asText());
                    references.add(reference);
                    if (describes.containsKey(reference.target()) && !reference.self()) {
                        objectParents.add(reference.target());
                    }
                }
            }
            parents.put(object, objectParents);
        }
        List<String> order = new ArrayList<>();
        Set<String> visiting = new HashSet<>();
        for (String object : describes.keySet()) {
            visit(object, parents, visiting, order);
        }
        return new LoadOrder(List.copyOf(describes.keySet()), List.copyOf(order), List.copyOf(references));
    }

    private static void visit(String object, Map<String, Set<String>> parents, Set<String> visiting,
            List<String> order) {
        if (order.contains(object) || !visiting.add(object)) {
            return; // done, or a cycle: this reference back to an object on the stack is ignored
        }
        for (String parent : parents.get(object)) {
            visit(parent, parents, visiting, order);
        }
        order.add(object);
    }

    /** The objects, parents first. */
    public List<String> order() {
        return order;
    }

    /** Every synced reference of the objects, each target of each field, in listed and describe order. */
    public List<Reference> references() {
        return references;
    }

    /** Whether a reference points at another object of the set (neither itself nor outside). */
    public boolean ordering(Reference reference) {
        return objects.contains(reference.target()) && !reference.self();
    }

    /** References to objects outside the set: their records are not loaded here. */
    public List<Reference> outside() {
        return references.stream().filter(r -> !objects.contains(r.target())).toList();
    }

    /** References of objects to themselves (Account.ParentId). */
    public List<Reference> selfReferences() {
        return references.stream().filter(Reference::self).toList();
    }

    /**
     * The references ignored to break cycles: each points at an object loaded after the object holding it, so while
     * loading, such a record may refer to a record that has not arrived yet.
     */
    public List<Reference> ignored() {
        return references.stream().filter(r -> ordering(r) && order.indexOf(r.target()) > order.indexOf(r.object()))
                .toList();
    }

    /**
     * The cycles: groups of two or more objects that refer to each other through a chain of references, each group
     * in load order, groups in the order of their first object.
     */
    public List<List<String>> cycles() {
        Map<String, Set<String>> parents = new HashMap<>();
        objects.forEach(o -> parents.put(o, new LinkedHashSet<>()));
        references.stream().filter(this::ordering).forEach(r -> parents.get(r.object()).add(r.target()));
        List<List<String>> cycles = new ArrayList<>();
        Set<String> placed = new HashSet<>();
        for (String object : order) {
            if (placed.contains(object)) {
                continue;
            }
            // The objects of a cycle through this one are those it reaches that also reach it.
            Set<String> reached = reachable(object, parents);
            List<String> cycle = order.stream()
                    .filter(o -> o.equals(object) || reached.contains(o) && reachable(o, parents).contains(object))
                    .toList();
            if (cycle.size() > 1) {
                cycles.add(cycle);
                placed.addAll(cycle);
            }
        }
        return cycles;
    }

    private static Set<String> reachable(String from, Map<String, Set<String>> parents) {
        Set<String> seen = new HashSet<>();
        List<String> next = new ArrayList<>(parents.get(from));
        while (!next.isEmpty()) {
            String object = next.remove(next.size() - 1);
            if (seen.add(object)) {
                next.addAll(parents.get(object));
            }
        }
        return seen;
    }
}
