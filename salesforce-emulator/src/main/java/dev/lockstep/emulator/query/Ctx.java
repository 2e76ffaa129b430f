package dev.lockstep.emulator.query;

import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.RecordView;
import java.util.HashMap;
import java.util.Map;

/**
 * What one execution of a query shares while it runs under the org's read lock: the org, whether the recycle
 * bin is included, and the parents already looked up, since many rows share an owner or an account.
 */
final class Ctx {

    final Org org;
    final boolean includeDeleted;
    private final Map<String, RecordView> parents = new HashMap<>();

    Ctx(Org org, boolean includeDeleted) {
        this.org = org;
        this.includeDeleted = includeDeleted;
    }

    /** The record with this (18-character) Id, or null. */
    RecordView parent(String id) {
        RecordView view = parents.get(id);
        if (view == null && !parents.containsKey(id)) {
            view = org.view(id).orElse(null);
            parents.put(id, view);
        }
        return view;
    }
}
