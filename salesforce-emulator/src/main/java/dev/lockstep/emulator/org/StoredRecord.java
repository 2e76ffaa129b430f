package dev.lockstep.emulator.org;

import java.time.Instant;
import java.util.Arrays;

/** A record as the org stores it: values by field slot. Mutated only under the org's write lock. */
final class StoredRecord {

    final String id;
    final String object;
    Object[] values;
    boolean deleted;
    Instant deletedDate;

    StoredRecord(String id, String object, int slots) {
        this.id = id;
        this.object = object;
        this.values = new Object[slots];
    }

    Object get(int slot) {
        return slot < values.length ? values[slot] : null;
    }

    void set(int slot, Object value) {
        if (slot >= values.length) {
            values = Arrays.copyOf(values, slot + 8);
        }
        values[slot] = value;
    }

    StoredRecord copy() {
        StoredRecord copy = new StoredRecord(id, object, 0);
        copy.values = values.clone();
        copy.deleted = deleted;
        copy.deletedDate = deletedDate;
        return copy;
    }

    void restore(StoredRecord from) {
        values = from.values.clone();
        deleted = from.deleted;
        deletedDate = from.deletedDate;
    }
}
