package dev.lockstep.source.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class SnapshotOrderTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** How long a thread that must stay blocked is watched; it is a bound, not a wait for a result. */
    private static final long BLOCKED_MILLIS = 200;

    /** A describe with one reference field per parent (plus the usual references to objects outside the task). */
    private static JsonNode describe(String object, String... parents) {
        ObjectNode d = JSON.createObjectNode().put("name", object);
        ArrayNode fields = d.putArray("fields");
        fields.addObject().put("name", "Id").put("type", "id");
        fields.addObject().put("name", "OwnerId").put("type", "reference").putArray("referenceTo").add("User");
        fields.addObject().put("name", "Name").put("type", "string");
        for (String parent : parents) {
            fields.addObject().put("name", parent + "Id").put("type", "reference").putArray("referenceTo")
                    .add(parent);
        }
        return d;
    }

    /** Describes in the given (configured) order. */
    private static SnapshotOrder order(JsonNode... describes) {
        Map<String, JsonNode> m = new LinkedHashMap<>();
        for (JsonNode d : describes) {
            m.put(d.get("name").asText(), d);
        }
        return SnapshotOrder.of(m);
    }

    @Test
    void parentsComeBeforeTheirChildren() {
        SnapshotOrder order = order(describe("Contact", "Account"), describe("Opportunity", "Account"),
                describe("Account"));
        assertThat(order.order()).containsExactly("Account", "Contact", "Opportunity");
    }

    @Test
    void chainsOfParentsAreFollowed() {
        SnapshotOrder order = order(describe("OpportunityLineItem", "Opportunity"),
                describe("Opportunity", "Account"), describe("Account"));
        assertThat(order.order()).containsExactly("Account", "Opportunity", "OpportunityLineItem");
    }

    @Test
    void polymorphicReferencesCountEveryTargetInTheTask() {
        ObjectNode task = (ObjectNode) describe("Task");
        ((ArrayNode) task.get("fields")).addObject().put("name", "WhatId").put("type", "reference")
                .putArray("referenceTo").add("Opportunity").add("Case").add("Account");
        SnapshotOrder order = order(task, describe("Opportunity"), describe("Account"));
        assertThat(order.order()).containsExactly("Opportunity", "Account", "Task");
    }

    @Test
    void objectsOutsideTheTaskAndSelfReferencesAreIgnored() {
        // Contact refers to Account, which another task reads: no order between them here.
        SnapshotOrder order = order(describe("Contact", "Account", "Contact"), describe("Lead"));
        assertThat(order.order()).containsExactly("Contact", "Lead");
    }

    @Test
    void unrelatedObjectsKeepTheConfiguredOrder() {
        assertThat(order(describe("Lead"), describe("Case"), describe("Campaign")).order())
                .containsExactly("Lead", "Case", "Campaign");
    }

    /*
     * Account <-> Contact (AccountId on Contact, a Primary_Contact__c lookup on Account): the cycle is broken at
     * the first-listed object, by ignoring the references back to it. So, listed Contact first, Account (which
     * Contact refers to) is read first; listed Account first, Contact is.
     */
    @Test
    void aCycleIsBrokenAtTheFirstListedObject() {
        assertThat(order(describe("Contact", "Account"), describe("Account", "Contact")).order())
                .containsExactly("Account", "Contact");
        assertThat(order(describe("Account", "Contact"), describe("Contact", "Account")).order())
                .containsExactly("Contact", "Account");
        // A longer cycle, and an object outside it that depends on one of its members.
        assertThat(order(describe("A", "B"), describe("B", "C"), describe("C", "A"), describe("D", "A")).order())
                .containsExactly("C", "B", "A", "D");
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
