package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The order a task snapshots its objects in: parents before children (an object whose reference fields point at
 * another object of the task comes after it), so a consumer sees a parent before the records that refer to it.
 * Cycles (Account ↔ Contact) are broken at the object listed first: the references back to it are ignored, so it
 * comes after the objects it refers to (listed Contact, Account: Account first). Snapshots run one at a time in this
 * order: an object's reader {@link #awaitTurn waits} until every object before it has {@link #release released} its
 * turn (finished its snapshot, or found it needs none).
 *
 * <p>Thread-safe: shared by the readers of one task.
 */
final class SnapshotOrder {

    private final List<String> order;
    private final Set<String> released = new HashSet<>();

    private SnapshotOrder(List<String> order) {
        this.order = order;
    }

    /** @param describes the describe of each object of the task, in configured order */
    static SnapshotOrder of(Map<String, JsonNode> describes) {
        Map<String, Set<String>> parents = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : describes.entrySet()) {
            Set<String> refs = new LinkedHashSet<>();
            for (JsonNode field : e.getValue().path("fields")) {
                if ("reference".equals(field.path("type").asText())) {
                    for (JsonNode target : field.path("referenceTo")) {
                        String parent = target.asText();
                        if (describes.containsKey(parent) && !parent.equals(e.getKey())) {
                            refs.add(parent);
                        }
                    }
                }
            }
            parents.put(e.getKey(), refs);
        }
        List<String> order = new ArrayList<>();
        Set<String> visiting = new HashSet<>();
        for (String object : describes.keySet()) {
            visit(object, parents, visiting, order);
        }
        return new SnapshotOrder(List.copyOf(order));
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

    List<String> order() {
        return order;
    }

    /** Blocks until every object before {@code object} has released its turn. */
    synchronized void awaitTurn(String object) throws InterruptedException {
        int index = order.indexOf(object);
        while (!released.containsAll(order.subList(0, Math.max(0, index)))) {
            wait();
        }
    }

    /** The object's snapshot is over (or not needed); idempotent. */
    synchronized void release(String object) {
        if (released.add(object)) {
            notifyAll();
        }
    }
}
