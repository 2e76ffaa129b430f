package dev.lockstep.source.task;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * The order a task snapshots its objects in: parents before children ({@link LoadOrder}: an object whose synced
 * reference fields point at another object of the task comes after it), so a consumer sees a parent before the
 * records that refer to it. Cycles (Account ↔ Contact) are broken at the object listed first. Snapshots run one at a
 * time in this order: an object's reader {@link #awaitTurn waits} until every object before it has
 * {@link #release released} its turn (finished its snapshot, or found it needs none).
 *
 * <p>Thread-safe: shared by the readers of one task.
 */
final class SnapshotOrder {

    private final List<String> order;
    private final Set<String> released = new HashSet<>();

    private SnapshotOrder(List<String> order) {
        this.order = order;
    }

    /**
     * @param describes the describe of each object of the task, in configured order
     * @param synced whether a field of an object is synced: only synced reference fields order the objects
     */
    static SnapshotOrder of(Map<String, JsonNode> describes, BiPredicate<String, String> synced) {
        return new SnapshotOrder(LoadOrder.of(describes, synced).order());
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
