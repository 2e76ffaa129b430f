package dev.lockstep.source.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SnapshotOrderTest {

    /** How long a thread that must stay blocked is watched; it is a bound, not a wait for a result. */
    private static final long BLOCKED_MILLIS = 200;

    private static SnapshotOrder order(JsonNode... describes) {
        return SnapshotOrder.of(TestDescribes.listed(describes), (object, field) -> true);
    }

    private static JsonNode describe(String object, String... parents) {
        return TestDescribes.describe(object, parents);
    }

    @Test
    void onlySyncedReferenceFieldsOrderTheSnapshots() {
        // Contact's AccountId is not synced: nothing makes Contact wait for Account.
        SnapshotOrder order = SnapshotOrder.of(TestDescribes.listed(describe("Contact", "Account"),
                describe("Account")), (object, field) -> !field.equals("AccountId"));
        assertThat(order.order()).containsExactly("Contact", "Account");
    }

    private static Thread awaitTurnIn(SnapshotOrder order, String object, CountDownLatch turn,
            AtomicReference<Throwable> failure) {
        Thread t = new Thread(() -> {
            try {
                order.awaitTurn(object);
                turn.countDown();
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "await-" + object);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Test
    void theFirstObjectNeedNotWait() throws Exception {
        SnapshotOrder order = order(describe("Contact", "Account"), describe("Account"));
        CountDownLatch turn = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        awaitTurnIn(order, "Account", turn, failure);
        assertThat(turn.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    @Test
    void aLaterObjectWaitsUntilEveryEarlierOneReleased() throws Exception {
        SnapshotOrder order = order(describe("Lead"), describe("Case"), describe("Campaign"));
        CountDownLatch turn = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = awaitTurnIn(order, "Campaign", turn, failure);

        assertThat(turn.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).as("Campaign waits for Lead and Case")
                .isFalse();
        order.release("Case");
        assertThat(turn.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).as("Campaign still waits for Lead")
                .isFalse();
        order.release("Lead");
        assertThat(turn.await(5, TimeUnit.SECONDS)).as("Campaign's turn once both released").isTrue();
        waiter.join(5_000);
        assertThat(failure.get()).isNull();
    }

    @Test
    void releaseIsIdempotentAndUnknownObjectsDoNotWait() throws Exception {
        SnapshotOrder order = order(describe("Lead"), describe("Case"));
        order.release("Lead");
        order.release("Lead");
        order.release("NotInTheTask");
        CountDownLatch turns = new CountDownLatch(2);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        awaitTurnIn(order, "Case", turns, failure);
        awaitTurnIn(order, "NotInTheTask", turns, failure);
        assertThat(turns.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    @Test
    void severalWaitersAllProceedOnTheRelease() throws Exception {
        SnapshotOrder order = order(describe("Contact", "Account"), describe("Opportunity", "Account"),
                describe("Account"));
        assertThat(order.order()).containsExactly("Account", "Contact", "Opportunity");
        CountDownLatch contact = new CountDownLatch(1);
        CountDownLatch opportunity = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        awaitTurnIn(order, "Contact", contact, failure);
        awaitTurnIn(order, "Opportunity", opportunity, failure);
        assertThat(contact.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).isFalse();
        order.release("Account");
        assertThat(contact.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(opportunity.await(BLOCKED_MILLIS, TimeUnit.MILLISECONDS)).as("Opportunity waits for Contact")
                .isFalse();
        order.release("Contact");
        assertThat(opportunity.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(failure.get()).isNull();
    }

    @Test
    void aWaitingReaderCanBeInterrupted() throws Exception {
        SnapshotOrder order = order(describe("Contact", "Account"), describe("Account"));
        CountDownLatch turn = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread waiter = awaitTurnIn(order, "Contact", turn, failure);
        waiter.interrupt();
        waiter.join(5_000);
        assertThat(waiter.isAlive()).isFalse();
        assertThat(failure.get()).isInstanceOf(InterruptedException.class);
        assertThat(turn.getCount()).isEqualTo(1);
    }
}
