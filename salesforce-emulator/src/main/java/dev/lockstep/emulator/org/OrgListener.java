package dev.lockstep.emulator.org;

import java.util.List;

/**
 * Told about every committed transaction, in commit order, while the org's write lock is held: it must return
 * quickly (hand the changes to its own thread) and must not call back into the org's write methods.
 */
@FunctionalInterface
public interface OrgListener {

    void committed(WriteContext context, String transactionKey, List<Change> changes);
}
