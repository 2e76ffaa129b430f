package dev.lockstep.emulator.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.formula.Formulas;
import dev.lockstep.emulator.org.FieldDef;
import dev.lockstep.emulator.org.FieldType;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.SObjectDef;
import dev.lockstep.emulator.org.Schema;
import dev.lockstep.emulator.org.Values;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Demo data: counts, determinism, valid relationships, every field type, and how fast accounts load. */
class DemoDataTest {

    private static final int PER_OBJECT = 40;
    /** One org filled once for the read-only checks. */
    private static Org shared;
    private static DemoData.Generated generated;

    @BeforeAll
    static void fill() {
        shared = org();
        generated = DemoData.generate(shared, PER_OBJECT, 42L);
    }

    /** A fresh org as the emulator sets one up: fixed clock, formulas, one admin user. */
    private static Org org() {
        Org org = new Org(Schema.defaultOrg(), new OrgClock(Clock.fixed(Instant.parse("2025-03-04T05:06:07Z"),
                ZoneOffset.UTC)));
        org.setFormulas(new Formulas(org));
        org.seed("User", Map.of("Username", "admin@lockstep.dev", "LastName", "Admin", "Alias", "admin",
                "Email", "admin@lockstep.dev"));
        return org;
    }

    private static List<RecordView> records(Org org, String object) {
        return org.read(o -> o.records(o.schema().require(object), false));
    }

    /** Every record of every object as text, field by field, for comparing whole orgs. */
    private static Map<String, List<Map<String, String>>> dump(Org org) {
        Map<String, List<Map<String, String>>> dump = new LinkedHashMap<>();
        org.read(o -> {
            for (SObjectDef def : o.schema().objects()) {
                List<Map<String, String>> rows = new ArrayList<>();
                for (RecordView view : o.records(def, true)) {
                    Map<String, String> row = new LinkedHashMap<>();
                    view.values().forEach((field, value) -> row.put(field, String.valueOf(value instanceof Map
                            ? value : Values.toText(value))));
                    rows.add(row);
                }
                dump.put(def.name(), rows);
            }
            return null;
        });
        return dump;
    }

    // ------------------------------------------------------------------------------------------ counts

    @Test
    void everyObjectGetsTheAskedCount() {
        assertThat(generated.counts().keySet()).containsExactlyElementsOf(DemoData.OBJECTS);
        assertThat(generated.counts().values()).allMatch(n -> n == PER_OBJECT);
        assertThat(generated.total()).isEqualTo(PER_OBJECT * DemoData.OBJECTS.size());
        for (String object : DemoData.OBJECTS) {
            int seeded = object.equals("User") ? 1 : 0;
            assertThat(shared.count(object, true)).as(object).isEqualTo(PER_OBJECT + seeded);
        }
    }

    @Test
    void countsPerObjectCreateOnlyWhatIsAsked() {
        Org org = org();

        DemoData.Generated result = DemoData.generate(org, Map.of("Account", 300, "contact", 20), 7L);

        assertThat(result.counts()).containsExactly(Map.entry("Account", 300), Map.entry("Contact", 20));
        assertThat(org.count("Account", false)).isEqualTo(300);
        assertThat(org.count("Contact", false)).isEqualTo(20);
        assertThat(org.count("Opportunity", false)).isZero();
        assertThat(org.count("Pricebook2", false)).isZero();
    }

    @Test
    void generatingTwiceIntoOneOrgKeepsUniqueKeysUnique() {
        Org org = org();

        DemoData.generate(org, 5, 1L);
        DemoData.generate(org, 5, 1L);

        assertThat(org.count("Account", false)).isEqualTo(10);
        assertThat(org.count("Pricebook2", false)).isEqualTo(10);
        assertThat(records(org, "Pricebook2").stream().filter(v -> Boolean.TRUE.equals(v.get("IsStandard"))))
                .hasSize(1);
        assertThat(records(org, "Sync_Sample__c").stream().map(v -> v.get("Code__c")).distinct()).hasSize(10);
    }

    @Test
    void impossibleCountsAreRefusedBeforeAnythingIsWritten() {
        Org org = org();

        assertThatThrownBy(() -> DemoData.generate(org, Map.of("Widget__c", 1), 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("No demo data for Widget__c");
        assertThatThrownBy(() -> DemoData.generate(org, Map.of("Account", -1), 1L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DemoData.generate(org, Map.of("OpportunityLineItem", 3, "Opportunity", 3), 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PricebookEntry");
        assertThatThrownBy(() -> DemoData.generate(org, Map.of("PricebookEntry", 7, "Product2", 3,
                "Pricebook2", 2), 1L))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 × 2 < 7");
        assertThat(org.count("Opportunity", true)).isZero();
    }

    // ------------------------------------------------------------------------------------------ determinism

    @Test
    void sameSeedGivesIdenticalRecordsAndIds() {
        Org first = org();
        Org second = org();

        DemoData.generate(first, 15, 99L);
        DemoData.generate(second, 15, 99L);

        Map<String, List<Map<String, String>>> a = dump(first);
        assertThat(a.get("Account")).hasSize(15);
        assertThat(a.get("Account").get(0).get("Id")).isEqualTo(dev.lockstep.emulator.org.Ids.make("001", 1));
        assertThat(dump(second)).isEqualTo(a);
    }

    @Test
    void anotherSeedGivesOtherRecordsWithTheSameIds() {
        Org first = org();
        Org second = org();

        DemoData.generate(first, 15, 1L);
        DemoData.generate(second, 15, 2L);

        List<Map<String, String>> a = dump(first).get("Contact");
        List<Map<String, String>> b = dump(second).get("Contact");
        assertThat(a.stream().map(r -> r.get("Id"))).containsExactlyElementsOf(b.stream().map(r -> r.get("Id"))
                .toList());
        assertThat(a.stream().map(r -> r.get("Name")).toList())
                .isNotEqualTo(b.stream().map(r -> r.get("Name")).toList());
    }

    // ------------------------------------------------------------------------------------------ relationships

    @Test
    void everyReferencePointsToALiveRecordOfAnAllowedType() {
        int checked = 0;
        for (String object : DemoData.OBJECTS) {
            SObjectDef def = shared.schema().require(object);
            for (RecordView view : records(shared, object)) {
                for (FieldDef field : def.fields()) {
                    Object value = view.get(field);
                    boolean knownTargets = field.referenceTo().stream()
                            .anyMatch(t -> shared.schema().object(t).isPresent());
                    if (field.type() != FieldType.REFERENCE || value == null || !knownTargets) {
                        continue;
                    }
                    RecordView target = shared.read(o -> o.view((String) value)).orElse(null);
                    assertThat(target).as("%s.%s of %s", object, field.name(), view.id()).isNotNull();
                    assertThat(target.isDeleted()).as("%s.%s of %s", object, field.name(), view.id()).isFalse();
                    assertThat(field.referenceTo()).as("%s.%s", object, field.name())
                            .contains(target.def().name());
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(PER_OBJECT * 20);
    }

    @Test
    void relationshipsHaveTheShapesOfARealOrg() {
        List<RecordView> accounts = records(shared, "Account");
        assertThat(accounts).anyMatch(a -> a.get("ParentId") != null);
        assertThat(accounts).allMatch(a -> a.get("External_Id__c") != null && a.get("BillingAddress") != null);
        for (RecordView account : accounts) {
            Object primary = account.get("Primary_Contact__c");
            if (primary != null) {
                RecordView contact = shared.read(o -> o.view((String) primary)).orElseThrow();
                assertThat(contact.get("AccountId")).isEqualTo(account.id());
            }
        }
        assertThat(accounts).anyMatch(a -> a.get("Primary_Contact__c") != null);
        assertThat(records(shared, "Contact")).anyMatch(c -> c.get("AccountId") != null);

        for (RecordView line : records(shared, "OpportunityLineItem")) {
            RecordView entry = view(line.get("PricebookEntryId"));
            RecordView opportunity = view(line.get("OpportunityId"));
            assertThat(entry.get("Pricebook2Id")).isEqualTo(opportunity.get("Pricebook2Id"));
            assertThat(entry.get("Product2Id")).isEqualTo(line.get("Product2Id"));
            assertThat(view(entry.get("Pricebook2Id")).get("IsStandard")).isEqualTo(true);
        }

        for (String activity : List.of("Task", "Event")) {
            List<RecordView> records = records(shared, activity);
            assertThat(records).as(activity).anyMatch(prefix("WhoId", "003")).anyMatch(prefix("WhoId", "00Q"))
                    .anyMatch(prefix("WhatId", "001")).anyMatch(prefix("WhatId", "006"));
            assertThat(records).as(activity + " on leads have no WhatId")
                    .filteredOn(prefix("WhoId", "00Q")).allMatch(r -> r.get("WhatId") == null);
        }
    }

    private static RecordView view(Object id) {
        return shared.read(o -> o.view((String) id)).orElseThrow();
    }

    private static Predicate<RecordView> prefix(String field, String keyPrefix) {
        return r -> r.get(field) instanceof String id && id.startsWith(keyPrefix);
    }

    // ------------------------------------------------------------------------------------------ field types

    @Test
    void syncSamplesFillEveryFieldType() {
        SObjectDef def = shared.schema().require("Sync_Sample__c");
        List<RecordView> samples = records(shared, "Sync_Sample__c");
        Set<FieldType> types = new HashSet<>();
        for (RecordView sample : samples) {
            for (FieldDef field : def.fields()) {
                assertThat(sample.get(field)).as("%s of %s", field.name(), sample.id()).isNotNull();
                types.add(field.type());
            }
            BigDecimal amount = (BigDecimal) sample.get("Amount__c");
            assertThat(amount.scale()).isEqualTo(2);
            assertThat(sample.get("Total__c"))
                    .isEqualTo(amount.multiply(BigDecimal.valueOf((Integer) sample.get("Quantity__c"))));
            assertThat(sample.get("Attachment__c")).isInstanceOf(byte[].class);
        }
        assertThat(types).containsAll(List.of(FieldType.STRING, FieldType.TEXTAREA, FieldType.PICKLIST,
                FieldType.MULTIPICKLIST, FieldType.BOOLEAN, FieldType.INT, FieldType.DOUBLE, FieldType.CURRENCY,
                FieldType.PERCENT, FieldType.DATE, FieldType.DATETIME, FieldType.TIME, FieldType.EMAIL,
                FieldType.PHONE, FieldType.URL, FieldType.REFERENCE, FieldType.BASE64, FieldType.ENCRYPTEDSTRING,
                FieldType.ADDRESS, FieldType.LOCATION));
        assertThat(samples).anyMatch(s -> ((String) s.get("Text__c")).codePoints().anyMatch(c -> c > 0xFFFF))
                .anyMatch(s -> ((String) s.get("Text__c")).codePoints().anyMatch(c -> c > 0x7F && c < 0x250))
                .anyMatch(s -> ((String) s.get("Colors__c")).contains(";"));
    }

    // ------------------------------------------------------------------------------------------ emulator and speed

    @Test
    void theEmulatorLoadsDemoDataAtStart() {
        try (Emulator emulator = Emulator.start(EmulatorConfig.defaults().withPort(0).withDemoRecordsPerObject(3))) {
            assertThat(emulator.org().count("Opportunity", false)).isEqualTo(3);
            assertThat(emulator.org().count("Sync_Sample__c", false)).isEqualTo(3);
        }
    }

    @Test
    void hundredThousandAccountsTimed() {
        Org org = org();
        long start = System.nanoTime();

        DemoData.Generated result = DemoData.generate(org, Map.of("Account", 100_000), 42L);

        long millis = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("Demo data: 100,000 Accounts in %,d ms (%,.0f records/s)%n", millis,
                100_000 * 1000.0 / Math.max(1, millis));
        assertThat(result.count("Account")).isEqualTo(100_000);
        assertThat(org.count("Account", false)).isEqualTo(100_000);
    }
}
