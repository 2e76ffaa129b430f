package dev.lockstep.emulator.demo;

import static dev.lockstep.emulator.demo.Pools.any;
import static dev.lockstep.emulator.demo.Pools.slug;

import dev.lockstep.emulator.demo.Pools.Place;
import dev.lockstep.emulator.org.Ids;
import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.RecordException;
import dev.lockstep.emulator.org.RecordView;
import dev.lockstep.emulator.org.WriteContext;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * One run of {@link DemoData#generate}: creates the objects in load order and remembers, in plain arrays, what
 * children need of their parents (Ids, which account a contact belongs to, product prices), so that a million
 * records cost a few bytes of bookkeeping each on top of what the org stores.
 *
 * <p>Each object draws from its own {@link Random} seeded from the run's seed and the object's name, so the records
 * of one object do not change when another object's count does (their references may).
 */
final class Generator {

    /** The day generated dates are laid out around; fixed so that a seed always gives the same records. */
    private static final LocalDate ANCHOR = LocalDate.of(2025, 1, 1);
    private static final Instant ANCHOR_INSTANT = ANCHOR.atStartOfDay().toInstant(ZoneOffset.UTC);
    /** Records per transaction: large enough to amortize commits, small enough to keep undo logs short. */
    static final int BATCH = 500;
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Org org;
    private final WriteContext context;
    private final Map<String, Integer> counts;
    private final long seed;
    /** Values records of this run share (see {@link Shape#putShared}); dropped with the run. */
    private final Map<Object, Object> shared = new HashMap<>();

    private String[] owners;
    private String[] accounts = new String[0];
    private String[] contacts = new String[0];
    private String[] campaigns = new String[0];
    private String[] products = new String[0];
    private String[] leads = new String[0];
    private String[] opportunities = new String[0];
    private String[] entries = new String[0];
    /** Index into {@link #accounts} of each contact's account, or -1 for a private contact. */
    private int[] contactAccount = new int[0];
    /** Index + 1 into {@link #contacts} of each account's first contact, or 0 when it has none. */
    private int[] accountFirstContact = new int[0];
    private long[] productPriceCents = new long[0];
    private int[] entryProduct = new int[0];
    private long[] entryPriceCents = new long[0];
    /** Entries 0 .. standardEntries-1 are in the standard price book, which opportunities use. */
    private int standardEntries;
    private String standardBook;
    /** Price books by position: the standard one first. */
    private List<String> books = List.of();

    Generator(Org org, Map<String, Integer> counts, long seed) {
        this.org = org;
        this.context = WriteContext.system(org.systemUserId());
        this.counts = counts;
        this.seed = seed;
    }

    Map<String, Integer> run() {
        checkParents();
        users();
        accounts();
        contacts();
        primaryContacts();
        campaigns();
        products();
        pricebooks();
        entries();
        leads();
        opportunities();
        lineItems();
        cases();
        tasks();
        events();
        syncSamples();
        Map<String, Integer> created = new LinkedHashMap<>();
        counts.forEach((object, n) -> {
            if (n > 0) {
                created.put(object, n);
            }
        });
        return created;
    }

    private int count(String object) {
        return counts.getOrDefault(object, 0);
    }

    /** Refuses, before writing anything, counts whose required parents would have no records. */
    private void checkParents() {
        if (count("PricebookEntry") > 0) {
            if (count("Product2") == 0) {
                throw new IllegalArgumentException("PricebookEntry records need Product2 records in the same call");
            }
            int bookCount = count("Pricebook2") + (existingStandardBook() != null ? 1 : 0);
            if (bookCount == 0) {
                throw new IllegalArgumentException("PricebookEntry records need a Pricebook2 (the standard one)");
            }
            if ((long) count("PricebookEntry") > (long) count("Product2") * bookCount) {
                throw new IllegalArgumentException("At most one PricebookEntry per product and price book: "
                        + count("Product2") + " × " + bookCount + " < " + count("PricebookEntry"));
            }
        }
        if (count("OpportunityLineItem") > 0 && (count("Opportunity") == 0 || count("PricebookEntry") == 0)) {
            throw new IllegalArgumentException("OpportunityLineItem records need Opportunity and PricebookEntry"
                    + " records in the same call");
        }
    }

    private Random random(String object) {
        return new Random(seed ^ (object.hashCode() * 0x9E3779B97F4A7C15L));
    }

    private Shape shape(String object) {
        return new Shape(org.schema().require(object), shared);
    }

    /** How many records of {@code object} the org already has: the offset that keeps unique keys unique. */
    private int existing(String object) {
        return org.schema().object(object).isPresent() ? org.count(object, true) : 0;
    }

    /** Creates {@code ids.length} records, {@value #BATCH} per transaction, storing their Ids in {@code ids}. */
    private void load(Shape shape, String[] ids, IntFunction<Map<String, Object>> rows) {
        for (int from = 0; from < ids.length; from += BATCH) {
            int start = from;
            int end = Math.min(ids.length, from + BATCH);
            org.write(context, txn -> {
                for (int i = start; i < end; i++) {
                    Map<String, Object> row = rows.apply(i);
                    try {
                        ids[i] = txn.create(shape.name(), row);
                    } catch (RecordException e) {
                        throw new IllegalStateException("Demo " + shape.name() + " #" + (i + 1) + " was rejected: "
                                + e.getMessage() + " " + row, e);
                    }
                }
                return null;
            });
        }
    }

    private String owner(Random r) {
        return owners[r.nextInt(owners.length)];
    }

    // ------------------------------------------------------------------------------------------- objects

    private void users() {
        int n = count("User");
        String[] users = new String[n];
        if (n > 0) {
            Shape s = shape("User");
            Random r = random("User");
            int offset = existing("User");
            String profile = Ids.make("00e", 1);
            load(s, users, i -> {
                Map<String, Object> row = s.row();
                String first = any(r, Pools.FIRST_NAMES);
                String last = any(r, Pools.LAST_NAMES);
                String number = String.valueOf(offset + i + 1);
                String login = slug(first) + "." + slug(last) + "." + number + "@demo.lockstep.dev";
                Place place = any(r, Pools.PLACES);
                s.put(row, "FirstName", first);
                s.put(row, "LastName", last);
                s.put(row, "Username", login);
                s.put(row, "Email", login);
                String alias = slug(first).charAt(0) + slug(last);
                s.put(row, "Alias", alias.substring(0, Math.min(alias.length(), 8)));
                s.put(row, "CommunityNickname", slug(first) + number);
                s.put(row, "TimeZoneSidKey", s.prefer("TimeZoneSidKey", timeZone(place), r));
                s.put(row, "LocaleSidKey", s.prefer("LocaleSidKey", "en_US", r));
                s.put(row, "LanguageLocaleKey", s.prefer("LanguageLocaleKey", "en_US", r));
                s.put(row, "EmailEncodingKey", s.prefer("EmailEncodingKey", "UTF-8", r));
                s.put(row, "ProfileId", profile);
                s.put(row, "IsActive", Boolean.TRUE);
                s.put(row, "Title", any(r, Pools.TITLES));
                s.put(row, "Department", any(r, Pools.DEPARTMENTS));
                s.put(row, "City", place.city());
                s.put(row, "Country", place.country());
                s.put(row, "Phone", phone(place, r));
                return row;
            });
        }
        owners = new String[n + 1];
        owners[0] = org.systemUserId();
        System.arraycopy(users, 0, owners, 1, n);
    }

    private static String timeZone(Place place) {
        return switch (place.countryCode()) {
            case "US", "CA" -> "America/New_York";
            case "FR", "DE", "ES" -> "Europe/Paris";
            case "JP" -> "Asia/Tokyo";
            default -> "GMT";
        };
    }

    private void accounts() {
        accounts = new String[count("Account")];
        if (accounts.length == 0) {
            return;
        }
        Shape s = shape("Account");
        Random r = random("Account");
        int offset = existing("Account");
        load(s, accounts, i -> {
            Map<String, Object> row = s.row();
            Place place = any(r, Pools.PLACES);
            String word = any(r, Pools.COMPANY_WORDS);
            s.putShared(row, "Name", word + " " + any(r, Pools.COMPANY_KINDS) + " " + any(r, Pools.COMPANY_SUFFIXES));
            s.put(row, "External_Id__c", "ACC-" + pad(offset + i + 1, 7));
            s.put(row, "AccountNumber", "AN" + pad(r.nextInt(100_000_000), 8));
            if (i > 0 && r.nextInt(100) < 12) {
                // A subsidiary of a recent account: hierarchies stay shallow and parents exist already.
                s.put(row, "ParentId", accounts[i - 1 - r.nextInt(Math.min(i, 1000))]);
            }
            s.put(row, "Type", s.pick("Type", r, null));
            s.put(row, "Industry", s.pick("Industry", r, null));
            s.put(row, "Rating", s.pick("Rating", r, null));
            s.put(row, "AccountSource", s.pick("AccountSource", r, null));
            s.put(row, "Ownership", s.pick("Ownership", r, null));
            address(s, row, "Billing", place, r);
            if (r.nextInt(3) == 0) {
                address(s, row, "Shipping", place, r);
            }
            s.put(row, "Phone", phone(place, r));
            s.putShared(row, "Website", "https://www." + slug(word) + ".example");
            s.putShared(row, "AnnualRevenue", BigDecimal.valueOf((1 + r.nextInt(5000)) * 10_000L));
            s.putShared(row, "NumberOfEmployees", 1 + r.nextInt(50_000));
            s.putShared(row, "YearStarted", String.valueOf(1900 + r.nextInt(125)));
            if (r.nextInt(4) == 0) {
                s.put(row, "Description", any(r, Pools.SENTENCES));
            }
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    private void contacts() {
        contacts = new String[count("Contact")];
        if (contacts.length == 0) {
            return;
        }
        contactAccount = new int[contacts.length];
        accountFirstContact = new int[accounts.length];
        Shape s = shape("Contact");
        Random r = random("Contact");
        int offset = existing("Contact");
        load(s, contacts, i -> {
            Map<String, Object> row = s.row();
            int account = accounts.length > 0 && r.nextInt(20) != 0 ? r.nextInt(accounts.length) : -1;
            contactAccount[i] = account;
            if (account >= 0) {
                s.put(row, "AccountId", accounts[account]);
                if (accountFirstContact[account] == 0) {
                    accountFirstContact[account] = i + 1;
                } else {
                    s.put(row, "ReportsToId", contacts[accountFirstContact[account] - 1]);
                }
            }
            person(s, row, r, "Mailing", offset + i + 1);
            s.put(row, "External_Id__c", "CON-" + pad(offset + i + 1, 7));
            s.put(row, "MobilePhone", "+1 555 " + pad(r.nextInt(10_000_000), 7));
            s.put(row, "Department", any(r, Pools.DEPARTMENTS));
            s.put(row, "LeadSource", s.pick("LeadSource", r, null));
            s.put(row, "Birthdate", ANCHOR.minusYears(22 + r.nextInt(45)).minusDays(r.nextInt(365)));
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    /** First name, last name, salutation, title, e-mail, phone and an address (with {@code prefix}). */
    private void person(Shape s, Map<String, Object> row, Random r, String prefix, int number) {
        String first = any(r, Pools.FIRST_NAMES);
        String last = any(r, Pools.LAST_NAMES);
        Place place = any(r, Pools.PLACES);
        s.put(row, "FirstName", first);
        s.put(row, "LastName", last);
        s.put(row, "Salutation", s.pick("Salutation", r, null));
        s.put(row, "Title", any(r, Pools.TITLES));
        s.put(row, "Email", slug(first) + "." + slug(last) + number + "@" + slug(any(r, Pools.COMPANY_WORDS))
                + ".example");
        s.put(row, "Phone", phone(place, r));
        address(s, row, prefix, place, r);
    }

    /** The cycle Account → Contact → Account: each account's first contact becomes its primary contact. */
    private void primaryContacts() {
        if (contacts.length == 0 || !shape("Account").has("Primary_Contact__c")) {
            return;
        }
        for (int from = 0; from < accounts.length; from += BATCH) {
            int start = from;
            int end = Math.min(accounts.length, from + BATCH);
            org.write(context, txn -> {
                for (int a = start; a < end; a++) {
                    if (accountFirstContact[a] != 0) {
                        Map<String, Object> update = new HashMap<>(2);
                        update.put("Primary_Contact__c", contacts[accountFirstContact[a] - 1]);
                        txn.update(accounts[a], update);
                    }
                }
                return null;
            });
        }
    }

    private void campaigns() {
        campaigns = new String[count("Campaign")];
        if (campaigns.length == 0) {
            return;
        }
        Shape s = shape("Campaign");
        Random r = random("Campaign");
        load(s, campaigns, i -> {
            Map<String, Object> row = s.row();
            LocalDate start = ANCHOR.plusDays(r.nextInt(241) - 120L);
            LocalDate end = start.plusDays(14 + r.nextInt(77));
            String status = end.isBefore(ANCHOR) ? "Completed" : start.isAfter(ANCHOR) ? "Planned" : "In Progress";
            s.put(row, "Name", any(r, Pools.CAMPAIGN_NAMES) + " " + start.getYear() + " #" + (i + 1));
            if (i >= 3 && r.nextInt(10) < 3) {
                s.put(row, "ParentId", campaigns[r.nextInt(i)]);
            }
            s.put(row, "Type", s.pick("Type", r, null));
            s.put(row, "Status", s.prefer("Status", status, r));
            s.put(row, "StartDate", start);
            s.put(row, "EndDate", end);
            long budget = (5 + r.nextInt(200)) * 1_000L;
            s.put(row, "BudgetedCost", BigDecimal.valueOf(budget));
            if (status.equals("Completed")) {
                s.put(row, "ActualCost", BigDecimal.valueOf(budget * (80 + r.nextInt(41)) / 100));
            }
            s.put(row, "ExpectedRevenue", BigDecimal.valueOf(budget * (2 + r.nextInt(9))));
            s.put(row, "ExpectedResponse", BigDecimal.valueOf(50 + r.nextInt(1500), 2));
            s.put(row, "NumberSent", BigDecimal.valueOf(100L + r.nextInt(20_000)));
            s.put(row, "IsActive", status.equals("In Progress"));
            s.put(row, "Description", any(r, Pools.SENTENCES));
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    private void products() {
        products = new String[count("Product2")];
        if (products.length == 0) {
            return;
        }
        productPriceCents = new long[products.length];
        Shape s = shape("Product2");
        Random r = random("Product2");
        int offset = existing("Product2");
        load(s, products, i -> {
            Map<String, Object> row = s.row();
            String name = Pools.PRODUCT_NAMES.get(i % Pools.PRODUCT_NAMES.size()) + " "
                    + Pools.PRODUCT_EDITIONS.get(i / Pools.PRODUCT_NAMES.size() % Pools.PRODUCT_EDITIONS.size());
            int generation = i / (Pools.PRODUCT_NAMES.size() * Pools.PRODUCT_EDITIONS.size());
            productPriceCents[i] = (50 + r.nextInt(4950)) * 100L + (r.nextBoolean() ? 0 : 99);
            s.put(row, "Name", generation == 0 ? name : name + " v" + (generation + 1));
            s.put(row, "ProductCode", "LS-" + pad(offset + i + 1, 5));
            s.put(row, "StockKeepingUnit", "SKU-" + pad(offset + i + 1, 6));
            s.put(row, "Description", any(r, Pools.SENTENCES));
            s.put(row, "IsActive", r.nextInt(10) != 0);
            s.put(row, "Family", s.pick("Family", r, null));
            s.put(row, "QuantityUnitOfMeasure", s.pick("QuantityUnitOfMeasure", r, null));
            s.put(row, "DisplayUrl", "https://lockstep.example/products/" + (offset + i + 1));
            return row;
        });
    }

    private String existingStandardBook() {
        if (org.schema().object("Pricebook2").isEmpty()) {
            return null;
        }
        return org.read(o -> o.records(o.schema().require("Pricebook2"), false).stream()
                .filter(v -> Boolean.TRUE.equals(v.get("IsStandard"))).map(RecordView::id).findFirst()
                .orElse(null));
    }

    /** The standard price book (seeded when the org lacks one, and then counted) and custom ones. */
    private void pricebooks() {
        int n = count("Pricebook2");
        standardBook = existingStandardBook();
        int made = 0;
        if (standardBook == null && n > 0) {
            // Salesforce provides the standard price book and no API can create one, so it is seeded.
            Map<String, Object> standard = new HashMap<>();
            standard.put("Name", "Standard Price Book");
            standard.put("IsActive", Boolean.TRUE);
            standard.put("IsStandard", Boolean.TRUE);
            standard.put("IsArchived", Boolean.FALSE);
            standard.put("Description", "The org's standard price book");
            standardBook = org.seed("Pricebook2", standard);
            made = 1;
        }
        String[] custom = new String[n - made];
        if (custom.length > 0) {
            Shape s = shape("Pricebook2");
            Random r = random("Pricebook2");
            load(s, custom, i -> {
                Map<String, Object> row = s.row();
                s.put(row, "Name", any(r, List.of("Partner", "Reseller", "Public Sector", "Education", "EMEA",
                        "APAC")) + " Price Book " + (i + 1));
                s.put(row, "IsActive", Boolean.TRUE);
                s.put(row, "Description", "Discounted prices for " + any(r, Pools.COMPANY_KINDS));
                return row;
            });
        }
        books = new ArrayList<>();
        if (standardBook != null) {
            books.add(standardBook);
        }
        books.addAll(List.of(custom));
    }

    private void entries() {
        entries = new String[count("PricebookEntry")];
        if (entries.length == 0) {
            return;
        }
        entryProduct = new int[entries.length];
        entryPriceCents = new long[entries.length];
        standardEntries = Math.min(entries.length, products.length);
        Shape s = shape("PricebookEntry");
        Random r = random("PricebookEntry");
        load(s, entries, i -> {
            // Every product is priced in the standard book first, as Salesforce requires, then in custom books.
            int product = i % products.length;
            int book = i / products.length;
            long cents = book == 0 ? productPriceCents[product]
                    : productPriceCents[product] * (80 + r.nextInt(16)) / 100;
            entryProduct[i] = product;
            entryPriceCents[i] = cents;
            Map<String, Object> row = s.row();
            s.put(row, "Pricebook2Id", books.get(book));
            s.put(row, "Product2Id", products[product]);
            s.put(row, "UnitPrice", BigDecimal.valueOf(cents, 2));
            s.put(row, "IsActive", Boolean.TRUE);
            s.put(row, "UseStandardPrice", Boolean.FALSE);
            return row;
        });
    }

    private void leads() {
        leads = new String[count("Lead")];
        if (leads.length == 0) {
            return;
        }
        Shape s = shape("Lead");
        Random r = random("Lead");
        int offset = existing("Lead");
        List<String> statuses = s.values("Status").stream().filter(v -> !v.equals("Closed - Converted")).toList();
        load(s, leads, i -> {
            Map<String, Object> row = s.row();
            person(s, row, r, "", offset + i + 1);
            String word = any(r, Pools.COMPANY_WORDS);
            s.putShared(row, "Company", word + " " + any(r, Pools.COMPANY_KINDS));
            s.putShared(row, "Website", "https://" + slug(word) + ".example");
            // Converted leads would need a converted account, contact and opportunity; demo leads stay open.
            s.put(row, "Status", statuses.isEmpty() ? null : any(r, statuses));
            s.put(row, "LeadSource", s.pick("LeadSource", r, null));
            s.put(row, "Industry", s.pick("Industry", r, null));
            s.put(row, "Rating", s.pick("Rating", r, null));
            s.putShared(row, "AnnualRevenue", BigDecimal.valueOf((1 + r.nextInt(900)) * 10_000L));
            s.putShared(row, "NumberOfEmployees", 1 + r.nextInt(5_000));
            if (r.nextInt(3) == 0) {
                s.put(row, "Description", any(r, Pools.SENTENCES));
            }
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    private void opportunities() {
        opportunities = new String[count("Opportunity")];
        if (opportunities.length == 0) {
            return;
        }
        Shape s = shape("Opportunity");
        Random r = random("Opportunity");
        List<String> stages = s.values("StageName");
        load(s, opportunities, i -> {
            Map<String, Object> row = s.row();
            int account = accounts.length > 0 && r.nextInt(20) != 0 ? r.nextInt(accounts.length) : -1;
            if (account >= 0) {
                s.put(row, "AccountId", accounts[account]);
                if (accountFirstContact.length > 0 && accountFirstContact[account] != 0) {
                    s.put(row, "ContactId", contacts[accountFirstContact[account] - 1]);
                }
            }
            int stageIndex = stages.isEmpty() ? -1 : r.nextInt(stages.size());
            String stage = stageIndex < 0 ? "Prospecting" : stages.get(stageIndex);
            boolean closed = stage.startsWith("Closed");
            boolean won = stage.equals("Closed Won");
            int probability = won ? 100 : closed ? 0 : Math.min(90, 10 + stageIndex * 10);
            LocalDate close = closed ? ANCHOR.minusDays(r.nextInt(365)) : ANCHOR.plusDays(r.nextInt(271));
            s.putShared(row, "Name", any(r, Pools.OPPORTUNITY_KINDS) + " – " + any(r, Pools.PRODUCT_NAMES) + " "
                    + close.getYear());
            s.put(row, "StageName", stage);
            s.put(row, "CloseDate", close);
            s.put(row, "Probability", BigDecimal.valueOf(probability));
            s.put(row, "ForecastCategoryName", s.prefer("ForecastCategoryName", won ? "Closed" : closed ? "Omitted"
                    : probability >= 70 ? "Commit" : probability >= 50 ? "Best Case" : "Pipeline", r));
            s.put(row, "Amount", BigDecimal.valueOf((10 + r.nextInt(50_000)) * 100L + r.nextInt(100), 2));
            s.put(row, "TotalOpportunityQuantity", BigDecimal.valueOf(1 + r.nextInt(100)));
            s.put(row, "Type", s.pick("Type", r, null));
            s.put(row, "LeadSource", s.pick("LeadSource", r, null));
            s.put(row, "NextStep", closed ? null : any(r, List.of("Send proposal", "Schedule demo",
                    "Security review", "Legal review", "Négociation du contrat")));
            if (campaigns.length > 0 && r.nextInt(10) < 3) {
                s.put(row, "CampaignId", campaigns[r.nextInt(campaigns.length)]);
            }
            s.put(row, "Pricebook2Id", standardBook);
            s.put(row, "Description", any(r, Pools.SENTENCES));
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    private void lineItems() {
        String[] lines = new String[count("OpportunityLineItem")];
        if (lines.length == 0) {
            return;
        }
        Shape s = shape("OpportunityLineItem");
        Random r = random("OpportunityLineItem");
        load(s, lines, i -> {
            // Round robin over opportunities; entries from the standard book, which every opportunity uses.
            int entry = r.nextInt(standardEntries);
            Map<String, Object> row = s.row();
            s.put(row, "OpportunityId", opportunities[i % opportunities.length]);
            s.put(row, "PricebookEntryId", entries[entry]);
            s.put(row, "Product2Id", products[entryProduct[entry]]);
            s.put(row, "Quantity", BigDecimal.valueOf(1 + r.nextInt(20)));
            s.put(row, "UnitPrice", BigDecimal.valueOf(entryPriceCents[entry], 2));
            s.put(row, "ServiceDate", ANCHOR.plusDays(r.nextInt(180)));
            s.put(row, "SortOrder", i / opportunities.length + 1);
            s.put(row, "Description", any(r, Pools.PRODUCT_EDITIONS) + " edition, yearly licence");
            return row;
        });
    }

    private void cases() {
        String[] cases = new String[count("Case")];
        if (cases.length == 0) {
            return;
        }
        Shape s = shape("Case");
        Random r = random("Case");
        load(s, cases, i -> {
            Map<String, Object> row = s.row();
            if (contacts.length > 0 && r.nextInt(10) != 0) {
                int contact = r.nextInt(contacts.length);
                s.put(row, "ContactId", contacts[contact]);
                if (contactAccount[contact] >= 0) {
                    s.put(row, "AccountId", accounts[contactAccount[contact]]);
                }
            } else if (accounts.length > 0) {
                s.put(row, "AccountId", accounts[r.nextInt(accounts.length)]);
            }
            if (i >= 5 && r.nextInt(10) == 0) {
                s.put(row, "ParentId", cases[r.nextInt(i)]);
            }
            String origin = s.pick("Origin", r, null);
            if ("Web".equals(origin)) {
                String first = any(r, Pools.FIRST_NAMES);
                String last = any(r, Pools.LAST_NAMES);
                s.put(row, "SuppliedName", first + " " + last);
                s.put(row, "SuppliedEmail", slug(first) + "." + slug(last) + "@mail.example");
                s.put(row, "SuppliedCompany", any(r, Pools.COMPANY_WORDS));
            }
            s.put(row, "Origin", origin);
            s.put(row, "Subject", any(r, Pools.CASE_SUBJECTS));
            s.put(row, "Description", any(r, Pools.SENTENCES) + "\n" + any(r, Pools.SENTENCES));
            s.put(row, "Status", s.pick("Status", r, null));
            s.put(row, "Priority", s.pick("Priority", r, null));
            s.put(row, "Type", s.pick("Type", r, null));
            s.put(row, "Reason", s.pick("Reason", r, null));
            s.put(row, "IsEscalated", r.nextInt(20) == 0);
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    /**
     * WhoId and WhatId of an activity: a contact (with its account or an opportunity as WhatId) or a lead (with no
     * WhatId, as Salesforce refuses a lead together with a WhatId).
     */
    private void whoAndWhat(Shape s, Map<String, Object> row, Random r) {
        boolean contact = contacts.length > 0 && (leads.length == 0 || r.nextInt(100) < 65);
        if (!contact && leads.length > 0) {
            s.put(row, "WhoId", leads[r.nextInt(leads.length)]);
            return;
        }
        int roll = r.nextInt(10);
        if (contact) {
            int c = r.nextInt(contacts.length);
            s.put(row, "WhoId", contacts[c]);
            if (roll < 5 && contactAccount[c] >= 0) {
                s.put(row, "WhatId", accounts[contactAccount[c]]);
                return;
            }
        } else if (roll < 5 && accounts.length > 0) {
            s.put(row, "WhatId", accounts[r.nextInt(accounts.length)]);
            return;
        }
        if (roll < 8 && opportunities.length > 0) {
            s.put(row, "WhatId", opportunities[r.nextInt(opportunities.length)]);
        }
    }

    private void tasks() {
        String[] tasks = new String[count("Task")];
        if (tasks.length == 0) {
            return;
        }
        Shape s = shape("Task");
        Random r = random("Task");
        load(s, tasks, i -> {
            Map<String, Object> row = s.row();
            whoAndWhat(s, row, r);
            LocalDate due = ANCHOR.plusDays(r.nextInt(121) - 60L);
            String subtype = s.prefer("TaskSubtype", any(r, List.of("Task", "Call", "Email")), r);
            s.put(row, "Subject", "Call".equals(subtype) ? "Call" : "Email".equals(subtype) ? "Email"
                    : any(r, Pools.TASK_SUBJECTS));
            s.put(row, "TaskSubtype", subtype);
            s.put(row, "ActivityDate", due);
            s.put(row, "Status", due.isBefore(ANCHOR) ? s.prefer("Status", "Completed", r) : s.pick("Status", r,
                    null));
            s.put(row, "Priority", r.nextInt(10) < 6 ? s.prefer("Priority", "Normal", r) : s.pick("Priority", r,
                    null));
            if ("Call".equals(subtype)) {
                s.put(row, "CallType", s.pick("CallType", r, null));
                s.put(row, "CallDurationInSeconds", 30 + r.nextInt(3600));
            }
            s.put(row, "Description", any(r, Pools.SENTENCES));
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    private void events() {
        String[] events = new String[count("Event")];
        if (events.length == 0) {
            return;
        }
        Shape s = shape("Event");
        Random r = random("Event");
        load(s, events, i -> {
            Map<String, Object> row = s.row();
            whoAndWhat(s, row, r);
            Instant start = ANCHOR_INSTANT.plus(Duration.ofDays(r.nextInt(121) - 60L))
                    .plus(Duration.ofMinutes(8 * 60 + 30L * r.nextInt(19)));
            int minutes = any(r, List.of(15, 30, 45, 60, 90, 120));
            s.put(row, "Subject", any(r, Pools.EVENT_SUBJECTS));
            s.put(row, "Location", any(r, Pools.MEETING_PLACES));
            s.put(row, "StartDateTime", start);
            s.put(row, "EndDateTime", start.plus(Duration.ofMinutes(minutes)));
            s.put(row, "ActivityDateTime", start);
            s.put(row, "ActivityDate", LocalDate.ofInstant(start, ZoneOffset.UTC));
            s.put(row, "DurationInMinutes", minutes);
            s.put(row, "IsAllDayEvent", Boolean.FALSE);
            s.put(row, "ShowAs", s.prefer("ShowAs", "Busy", r));
            s.put(row, "EventSubtype", s.prefer("EventSubtype", "Event", r));
            s.put(row, "Description", any(r, Pools.SENTENCES));
            s.put(row, "OwnerId", owner(r));
            return row;
        });
    }

    /** Every field type: text in many scripts, picklists, numbers at their scales, dates, times, bytes, places. */
    private void syncSamples() {
        String[] samples = new String[count("Sync_Sample__c")];
        if (samples.length == 0) {
            return;
        }
        Shape s = shape("Sync_Sample__c");
        Random r = random("Sync_Sample__c");
        int offset = existing("Sync_Sample__c");
        List<String> colors = s.values("Colors__c");
        load(s, samples, i -> {
            Map<String, Object> row = s.row();
            int number = offset + i + 1;
            Place place = any(r, Pools.PLACES);
            String phrase = any(r, Pools.UNICODE_PHRASES);
            s.put(row, "Name", "Sample " + pad(number, 6));
            s.put(row, "Text__c", phrase + " #" + number);
            s.put(row, "Text_Area__c", phrase + "\n" + any(r, Pools.SENTENCES));
            StringBuilder longText = new StringBuilder();
            for (int p = 0, paragraphs = 3 + r.nextInt(10); p < paragraphs; p++) {
                longText.append(any(r, Pools.SENTENCES)).append(' ').append(any(r, Pools.UNICODE_PHRASES))
                        .append("\n\n");
            }
            s.put(row, "Long_Text__c", longText.toString().strip());
            s.put(row, "Status__c", s.pick("Status__c", r, null));
            s.put(row, "Colors__c", multiPick(colors, r));
            s.put(row, "Flag__c", r.nextBoolean());
            s.put(row, "Quantity__c", 1 + r.nextInt(500));
            s.put(row, "Ratio__c", BigDecimal.valueOf(r.nextInt(1_000_001), 6));
            s.put(row, "Amount__c", BigDecimal.valueOf(r.nextInt(10_000_000), 2));
            s.put(row, "Discount__c", BigDecimal.valueOf(r.nextInt(5001), 2));
            s.put(row, "Due_Date__c", ANCHOR.plusDays(r.nextInt(731) - 365L));
            s.put(row, "Due_At__c", ANCHOR_INSTANT.plusMillis(r.nextLong(365L * 86_400_000L)));
            s.put(row, "Alarm_Time__c", LocalTime.ofNanoOfDay(r.nextInt(86_400_000) * 1_000_000L));
            s.put(row, "Email__c", "sample" + number + "@sync.example");
            s.put(row, "Phone__c", phone(place, r));
            s.put(row, "Website__c", "https://sync.example/samples/" + number + "?q=é&x=1");
            if (accounts.length > 0) {
                s.put(row, "Account__c", accounts[r.nextInt(accounts.length)]);
            }
            s.put(row, "Attachment__c", bytes(r));
            s.put(row, "Secret__c", "tok_" + Long.toHexString(r.nextLong()));
            s.put(row, "Address__Street__s", (1 + r.nextInt(500)) + " " + any(r, Pools.STREETS));
            s.put(row, "Address__City__s", place.city());
            // State and country codes are free text unless the org defines state and country picklists.
            s.put(row, "Address__StateCode__s", s.values("Address__StateCode__s").isEmpty()
                    ? place.stateCode() : s.prefer("Address__StateCode__s", place.stateCode(), r));
            s.put(row, "Address__PostalCode__s", place.postalCode() + pad(r.nextInt(100), 2));
            s.put(row, "Address__CountryCode__s", s.values("Address__CountryCode__s").isEmpty()
                    ? place.countryCode() : s.prefer("Address__CountryCode__s", place.countryCode(), r));
            s.put(row, "Location__Latitude__s", coordinate(place.latitude(), r));
            s.put(row, "Location__Longitude__s", coordinate(place.longitude(), r));
            s.put(row, "External_Id__c", "SYNC-" + pad(number, 7));
            s.put(row, "Code__c", "C" + pad(number, 9));
            s.put(row, "Legacy_Id__c", "legacy:" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36));
            return row;
        });
    }

    // ------------------------------------------------------------------------------------------- helpers

    /** A non-empty selection of {@code values} in describe order, joined with ';' as multi-select values are. */
    private static String multiPick(List<String> values, Random r) {
        if (values.isEmpty()) {
            return null;
        }
        StringBuilder picked = new StringBuilder();
        int mask = 1 + r.nextInt((1 << Math.min(values.size(), 16)) - 1);
        for (int v = 0; v < Math.min(values.size(), 16); v++) {
            if ((mask & (1 << v)) != 0) {
                picked.append(picked.length() == 0 ? "" : ";").append(values.get(v));
            }
        }
        return picked.toString();
    }

    /** A small PNG-looking blob: a signature and random bytes, so base64 round trips see binary data. */
    private static byte[] bytes(Random r) {
        byte[] bytes = new byte[PNG_SIGNATURE.length + 16 + r.nextInt(240)];
        r.nextBytes(bytes);
        System.arraycopy(PNG_SIGNATURE, 0, bytes, 0, PNG_SIGNATURE.length);
        return bytes;
    }

    private static void address(Shape s, Map<String, Object> row, String prefix, Place place, Random r) {
        s.putShared(row, prefix + "Street", (1 + r.nextInt(2000)) + " " + any(r, Pools.STREETS));
        s.put(row, prefix + "City", place.city());
        s.put(row, prefix + "State", place.state());
        s.putShared(row, prefix + "PostalCode", place.postalCode() + pad(r.nextInt(100), 2));
        s.put(row, prefix + "Country", place.country());
        s.putShared(row, prefix + "Latitude", coordinate(place.latitude(), r));
        s.putShared(row, prefix + "Longitude", coordinate(place.longitude(), r));
    }

    /** One of a thousand points within a few kilometres of {@code center}, to four decimals (about 10 m). */
    private static BigDecimal coordinate(double center, Random r) {
        return BigDecimal.valueOf(Math.round(center * 10_000) + r.nextInt(1000) - 500L, 4);
    }

    private static String phone(Place place, Random r) {
        return place.phonePrefix() + " " + pad(r.nextInt(1000), 3) + " " + pad(r.nextInt(10_000), 4);
    }

    /** {@code n} in decimal, zero-padded to {@code width} digits. */
    static String pad(long n, int width) {
        String digits = Long.toString(n);
        return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
    }
}
