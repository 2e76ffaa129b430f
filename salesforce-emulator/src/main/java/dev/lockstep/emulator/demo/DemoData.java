package dev.lockstep.emulator.demo;

import dev.lockstep.emulator.org.Org;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deterministic, realistic demo records for the default org's objects, with valid relationships: account
 * hierarchies, contacts under accounts (and each account's {@code Primary_Contact__c} set once its contacts exist),
 * campaigns, products with the standard price book and entries, leads, opportunities with line items, cases,
 * tasks and events on contacts or leads and accounts or opportunities, and {@code Sync_Sample__c} records filling
 * every field type.
 *
 * <p>Every record goes through {@link Org#write} as the org's system user, so every validation applies (required
 * fields, restricted picklists, lengths, references); picklist values are taken from the describe. The one
 * exception is the standard price book, which Salesforce provides and no API can create: it is seeded like the
 * org's users. Records are loaded parents first, a few hundred per transaction.
 *
 * <p>The same seed gives the same records, Ids included, on orgs in the same state: Ids are sequential per key
 * prefix, and generated dates are laid out around a fixed day (2025-01-01) rather than the clock. Only the audit
 * fields (CreatedDate ...) follow the org's clock.
 */
public final class DemoData {

    /** The objects demo data knows, in load order (parents before children). */
    public static final List<String> OBJECTS = List.of("User", "Account", "Contact", "Campaign", "Product2",
            "Pricebook2", "PricebookEntry", "Lead", "Opportunity", "OpportunityLineItem", "Case", "Task", "Event",
            "Sync_Sample__c");

    private DemoData() {}

    /** What a generation created: record counts per object, in load order. */
    public record Generated(Map<String, Integer> counts) {

        public Generated {
            counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
        }

        /** Records created for {@code object} (0 when none). */
        public int count(String object) {
            return counts.getOrDefault(object, 0);
        }

        /** Records created in all. */
        public int total() {
            return counts.values().stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * {@code perObject} records of every object of {@link #OBJECTS} that the org's schema has. Pricebook2's count
     * includes the standard price book when the org has none yet.
     */
    public static Generated generate(Org org, int perObject, long seed) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String object : OBJECTS) {
            if (org.schema().object(object).isPresent()) {
                counts.put(object, perObject);
            }
        }
        return generate(org, counts, seed);
    }

    /**
     * The given number of records per object (objects not named get none), for example
     * {@code Map.of("Account", 1_000_000)} for a benchmark. Optional references are filled only from records
     * generated in the same call; an object whose required parent would have no records is refused.
     *
     * @throws IllegalArgumentException for an unknown object, a negative count or a missing required parent
     */
    public static Generated generate(Org org, Map<String, Integer> countsPerObject, long seed) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String object : OBJECTS) {
            counts.put(object, 0);
        }
        countsPerObject.forEach((name, count) -> {
            String object = OBJECTS.stream().filter(o -> o.equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("No demo data for " + name + "; known objects: "
                            + String.join(", ", OBJECTS)));
            if (count == null || count < 0) {
                throw new IllegalArgumentException("Count for " + object + " must be 0 or more, not " + count);
            }
            if (count > 0 && org.schema().object(object).isEmpty()) {
                throw new IllegalArgumentException("The org has no object " + object);
            }
            counts.put(object, count);
        });
        return new Generated(new Generator(org, counts, seed).run());
    }
}
