package dev.lockstep.source.task;

import static dev.lockstep.source.task.TestDescribes.describe;
import static dev.lockstep.source.task.TestDescribes.listed;
import static dev.lockstep.source.task.TestDescribes.reference;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.lockstep.source.task.LoadOrder.Reference;
import org.junit.jupiter.api.Test;

class LoadOrderTest {

    private static LoadOrder order(JsonNode... describes) {
        return LoadOrder.of(listed(describes));
    }

    @Test
    void parentsComeBeforeTheirChildren() {
        LoadOrder order = order(describe("Contact", "Account"), describe("Opportunity", "Account"),
                describe("Account"));
        assertThat(order.order()).containsExactly("Account", "Contact", "Opportunity");
        assertThat(order.ignored()).isEmpty();
        assertThat(order.cycles()).isEmpty();
    }

    @Test
    void chainsOfParentsAreFollowed() {
        LoadOrder order = order(describe("OpportunityLineItem", "Opportunity"), describe("Opportunity", "Account"),
                describe("Account"));
        assertThat(order.order()).containsExactly("Account", "Opportunity", "OpportunityLineItem");
    }

    @Test
    void polymorphicReferencesCountEveryTargetInTheSet() {
        JsonNode task = reference(describe("Task"), "WhatId", "Opportunity", "Case", "Account");
        LoadOrder order = order(task, describe("Opportunity"), describe("Account"));
        assertThat(order.order()).containsExactly("Opportunity", "Account", "Task");
        assertThat(order.references()).contains(new Reference("Task", "WhatId", "Opportunity"),
                new Reference("Task", "WhatId", "Case"), new Reference("Task", "WhatId", "Account"));
        assertThat(order.outside()).contains(new Reference("Task", "WhatId", "Case"));
    }

    @Test
    void objectsOutsideTheSetAndSelfReferencesOrderNothingButAreListed() {
        LoadOrder order = order(describe("Contact", "Account", "Contact"), describe("Lead"));
        assertThat(order.order()).containsExactly("Contact", "Lead");
        assertThat(order.selfReferences()).containsExactly(new Reference("Contact", "ContactId", "Contact"));
        assertThat(order.outside()).containsExactly(new Reference("Contact", "OwnerId", "User"),
                new Reference("Contact", "AccountId", "Account"), new Reference("Lead", "OwnerId", "User"));
        assertThat(order.selfReferences().get(0).self()).isTrue();
        assertThat(order.ordering(order.selfReferences().get(0))).isFalse();
    }

    @Test
    void unrelatedObjectsKeepTheListedOrder() {
        assertThat(order(describe("Lead"), describe("Case"), describe("Campaign")).order())
                .containsExactly("Lead", "Case", "Campaign");
    }

    @Test
    void referenceFieldsThatAreNotSyncedOrderNothingAndAreNotListed() {
        LoadOrder order = LoadOrder.of(listed(describe("Contact", "Account"), describe("Account")),
                (object, field) -> !(object.equals("Contact") && field.equals("AccountId")));
        assertThat(order.order()).containsExactly("Contact", "Account");
        assertThat(order.references()).extracting(Reference::field).doesNotContain("AccountId");
    }

    /*
     * Account <-> Contact (AccountId on Contact, a Primary_Contact__c lookup on Account): the cycle is broken at
     * the first-listed object, by ignoring the references back to it. So, listed Contact first, Account (which
     * Contact refers to) is read first; listed Account first, Contact is.
     */
    @Test
    void aCycleIsBrokenAtTheFirstListedObjectAndTheIgnoredReferenceIsNamed() {
        LoadOrder contactFirst = order(describe("Contact", "Account"), describe("Account", "Contact"));
        assertThat(contactFirst.order()).containsExactly("Account", "Contact");
        assertThat(contactFirst.ignored()).containsExactly(new Reference("Account", "ContactId", "Contact"));
        assertThat(contactFirst.cycles()).containsExactly(java.util.List.of("Account", "Contact"));

        LoadOrder accountFirst = order(describe("Account", "Contact"), describe("Contact", "Account"));
        assertThat(accountFirst.order()).containsExactly("Contact", "Account");
        assertThat(accountFirst.ignored()).containsExactly(new Reference("Contact", "AccountId", "Account"));
    }

    @Test
    void aLongerCycleIsOneGroupAndObjectsDependingOnItComeAfter() {
        LoadOrder order = order(describe("A", "B"), describe("B", "C"), describe("C", "A"), describe("D", "A"),
                describe("E"));
        assertThat(order.order()).containsExactly("C", "B", "A", "D", "E");
        assertThat(order.cycles()).containsExactly(java.util.List.of("C", "B", "A"));
        assertThat(order.ignored()).containsExactly(new Reference("C", "AId", "A"));
    }
}
