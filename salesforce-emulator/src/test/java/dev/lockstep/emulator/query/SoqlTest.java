package dev.lockstep.emulator.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.org.Org;
import dev.lockstep.emulator.org.OrgClock;
import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.org.Schema;
import dev.lockstep.emulator.org.WriteContext;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SOQL evaluated against an org without HTTP: filters, types, ordering, relationships, aggregates and errors. The
 * org clock is fixed at Wednesday 2024-05-15 10:00 UTC so that relative date literals have known answers.
 */
class SoqlTest {

    private static final Instant NOW = Instant.parse("2024-05-15T10:00:00Z");

    private static Org org;
    private static String userId;
    private static String acme;
    private static String globex;
    private static String initech;
    private static String jane;
    private static String john;
    private static String lead;
    private static String deletedAccount;

    @BeforeAll
    static void createOrg() {
        org = new Org(Schema.defaultOrg(), new OrgClock(Clock.fixed(NOW, ZoneOffset.UTC)));
        Map<String, Object> user = new HashMap<>();
        user.put("Username", "jane.admin@example.com");
        user.put("FirstName", "Jane");
        user.put("LastName", "Admin");
        user.put("Email", "jane.admin@example.com");
        user.put("Alias", "jadmin");
        userId = org.seed("User", user);
        write(txn -> {
            acme = txn.create("Account", values("Name", "Acme", "Industry", "Technology", "AnnualRevenue",
                    new BigDecimal("1000"), "NumberOfEmployees", 10, "BillingCity", "Paris", "BillingStreet",
                    "1 Rue de Rivoli", "Type", "Customer - Direct"));
            globex = txn.create("Account", values("Name", "Globex", "Industry", "Energy", "AnnualRevenue",
                    new BigDecimal("500"), "Type", "Prospect"));
            initech = txn.create("Account", values("Name", "acme labs", "NumberOfEmployees", 300, "Description",
                    "long text", "Type", "Other"));
            txn.create("Account", values("Name", "O'Brien & Sons", "Industry", "Banking", "NumberOfEmployees", 10));
            jane = txn.create("Contact", values("FirstName", "Jane", "LastName", "Doe", "AccountId", acme,
                    "Email", "jane@acme.example"));
            john = txn.create("Contact", values("FirstName", "John", "LastName", "Roe", "AccountId", acme));
            txn.create("Contact", values("LastName", "Solo"));
            lead = txn.create("Lead", values("LastName", "Lee", "Company", "Leads Inc"));
            txn.create("Task", values("Subject", "Call Jane", "WhoId", jane, "WhatId", acme));
            txn.create("Task", values("Subject", "Email Lee", "WhoId", lead));
            deletedAccount = txn.create("Account", values("Name", "Gone Ltd"));
            return null;
        });
        write(txn -> {
            txn.delete(deletedAccount);
            return null;
        });
        write(txn -> {
            sample(txn, "today", "2024-05-15", "Red;Blue", "New");
            sample(txn, "yesterday", "2024-05-14", "Red", "Active");
            sample(txn, "tomorrow", "2024-05-16", "Green;Yellow", "Closed");
            sample(txn, "sunday", "2024-05-12", "Blue;Red;Green", null);
            sample(txn, "saturday", "2024-05-11", null, "Active");
            sample(txn, "next sunday", "2024-05-19", null, null);
            sample(txn, "april", "2024-04-30", null, null);
            sample(txn, "june", "2024-06-01", null, null);
            sample(txn, "90 days ago", "2024-02-15", null, null);
            sample(txn, "91 days ago", "2024-02-14", null, null);
            sample(txn, "new year", "2024-01-01", null, null);
            sample(txn, "new year's eve", "2023-12-31", null, null);
            sample(txn, "2022", "2022-06-01", null, null);
            sample(txn, "august", "2024-08-13", null, null);
            txn.create("Sync_Sample__c", values("Name", "at midnight", "Due_At__c",
                    Instant.parse("2024-05-15T00:00:00Z"), "Alarm_Time__c", LocalTime.of(7, 30), "Account__c",
                    acme, "Quantity__c", 3, "Amount__c", new BigDecimal("2.50"), "Flag__c", true));
            txn.create("Sync_Sample__c", values("Name", "just before", "Due_At__c",
                    Instant.parse("2024-05-14T23:59:59.999Z"), "Account__c", acme, "Quantity__c", 5,
                    "Amount__c", new BigDecimal("10"), "Attachment__c", new byte[] {1, 2, 3}));
            txn.create("Sync_Sample__c", values("Name", "late today", "Due_At__c",
                    Instant.parse("2024-05-15T23:59:59Z"), "Account__c", globex, "Quantity__c", 4));
            return null;
        });
    }

    private static void sample(Org.Txn txn, String name, String due, String colors, String status) {
        Map<String, Object> v = values("Name", name, "Due_Date__c", LocalDate.parse(due));
        if (colors != null) {
            v.put("Colors__c", colors);
        }
        if (status != null) {
            v.put("Status__c", status);
        }
        txn.create("Sync_Sample__c", v);
    }

    private static void write(Function<Org.Txn, Object> work) {
        org.write(WriteContext.system(userId), work);
    }

    private static Map<String, Object> values(Object... pairs) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }

    // ------------------------------------------------------------------------------------------ field lists

    @Test
    void columnsFollowTheSelectOrderInDescribeCaseWhateverTheQueryCase() {
        QueryResult result = query("select name, ID, account.NAME from CONTACT where lastname = 'Doe'");

        assertThat(result.object()).isEqualTo("Contact");
        assertThat(result.columns()).containsExactly("Name", "Id", "Account.Name");
        assertThat(result.rows()).hasSize(1);
        assertThat(result.rows().get(0)).containsExactly("Jane Doe", jane, "Acme");
        assertThat(result.totalSize()).isEqualTo(1);
        assertThat(result.countOnly()).isFalse();
    }

    @Test
    void parentPathsReachFiveLevelsAndAnEmptyParentGivesNull() {
        assertThat(query("SELECT LastName, Account.Owner.Name, Account.Owner.CreatedBy.Alias FROM Contact"
                + " ORDER BY LastName").rows())
                .extracting(row -> Arrays.asList(row))
                .containsExactly(Arrays.asList("Doe", "Jane Admin", "jadmin"),
                        Arrays.asList("Roe", "Jane Admin", "jadmin"), Arrays.asList("Solo", null, null));
        assertThat(column("SELECT LastName FROM Contact WHERE Account.Owner.CreatedBy.CreatedBy.CreatedBy.Id = null"))
                .containsExactly("Solo");
        assertThat(column("SELECT LastName FROM Contact WHERE Account.Owner.CreatedBy.CreatedBy.CreatedBy.Id"
                + " != null")).containsExactly("Doe", "Roe");
        assertThat(error("SELECT Account.Owner.CreatedBy.CreatedBy.CreatedBy.CreatedBy.Id FROM Contact")
                .getMessage()).endsWith("SOQL statements cannot query relationships that are more than 5 levels"
                        + " away from the root entity object.");
    }

    @Test
    void customRelationshipsUseTheirUnderscoreRName() {
        assertThat(column("SELECT Account__r.Name FROM Sync_Sample__c WHERE Account__r.Name != null"
                + " ORDER BY Quantity__c")).containsExactly("Acme", "Globex", "Acme");
        assertThat(query("SELECT account__R.name FROM Sync_Sample__c LIMIT 1").columns())
                .containsExactly("Account__r.Name");
    }

    @Test
    void polymorphicRelationshipsResolveTheParentByItsIdPrefix() {
        QueryResult result = query("SELECT Subject, Who.Name, Who.Type, What.Name, What.Type FROM Task"
                + " ORDER BY Subject");

        assertThat(result.rows()).extracting(row -> Arrays.asList(row)).containsExactly(
                Arrays.asList("Call Jane", "Jane Doe", "Contact", "Acme", "Account"),
                Arrays.asList("Email Lee", "Lee", "Lead", null, null));
        assertThat(column("SELECT Subject FROM Task WHERE Who.Type = 'Lead'")).containsExactly("Email Lee");
        assertThat(error("SELECT Who.Industry FROM Task").getMessage())
                .contains("No such column 'Industry' on entity 'Name'");
    }

    @Test
    void fieldsStandardNeedsNoLimitButAllAndCustomNeedAtMost200() {
        QueryResult standard = query("SELECT FIELDS(STANDARD) FROM Sync_Sample__c WHERE Name = 'today'");
        assertThat(standard.columns()).contains("Id", "Name", "OwnerId", "SystemModstamp")
                .doesNotContain("Due_Date__c");
        QueryResult custom = query("SELECT Id, FIELDS(CUSTOM) FROM Sync_Sample__c WHERE Name = 'today' LIMIT 200");
        assertThat(custom.columns()).startsWith("Id", "Text__c").contains("Due_Date__c", "Address__c")
                .doesNotContain("Name");
        assertThat(query("SELECT FIELDS(ALL) FROM Account LIMIT 1").columns()).contains("Id", "External_Id__c");

        OrgException unbounded = error("SELECT FIELDS(ALL) FROM Account");
        assertThat(unbounded.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(unbounded.getMessage()).isEqualTo("\nSELECT FIELDS(ALL) FROM Account\n       ^\n"
                + "ERROR at Row:1:Column:8\nThe SOQL FIELDS function must have a LIMIT of at most 200");
        assertThat(error("SELECT FIELDS(CUSTOM) FROM Account LIMIT 201").errorCode()).isEqualTo("MALFORMED_QUERY");
    }

    @Test
    void compoundFieldsComeBackAsMapsOfTheirParts() {
        Object address = query("SELECT BillingAddress FROM Account WHERE Name = 'Acme'").rows().get(0)[0];

        assertThat(address).isInstanceOf(Map.class);
        Map<?, ?> parts = (Map<?, ?>) address;
        assertThat(parts.get("city")).isEqualTo("Paris");
        assertThat(parts.get("street")).isEqualTo("1 Rue de Rivoli");
        assertThat(query("SELECT BillingAddress FROM Account WHERE Name = 'Globex'").rows().get(0)[0]).isNull();
    }

    @Test
    void valuesKeepTheirJavaTypes() {
        Object[] row = query("SELECT Due_At__c, Alarm_Time__c, Quantity__c, Amount__c, Flag__c, Attachment__c"
                + " FROM Sync_Sample__c WHERE Name = 'at midnight'").rows().get(0);

        assertThat(row[0]).isEqualTo(Instant.parse("2024-05-15T00:00:00Z"));
        assertThat(row[1]).isEqualTo(LocalTime.of(7, 30));
        assertThat(row[2]).isEqualTo(3);
        assertThat(row[3]).isInstanceOf(BigDecimal.class);
        assertThat(row[4]).isEqualTo(true);
        assertThat(row[5]).isNull();
        assertThat(query("SELECT Attachment__c FROM Sync_Sample__c WHERE Name = 'just before'").rows().get(0)[0])
                .isEqualTo(new byte[] {1, 2, 3});
    }

    // ------------------------------------------------------------------------------------------- conditions

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Name = 'acme'                                  | Acme",
        "Name != 'Acme'                                 | Globex;acme labs;O'Brien & Sons",
        "Name <> 'Acme'                                 | Globex;acme labs;O'Brien & Sons",
        "Industry != 'Energy'                           | Acme;acme labs;O'Brien & Sons",
        "Industry = null                                | acme labs",
        "Industry != null                               | Acme;Globex;O'Brien & Sons",
        "AnnualRevenue > 500                            | Acme",
        "AnnualRevenue >= 500.0                         | Acme;Globex",
        "AnnualRevenue < 1000                           | Globex",
        "AnnualRevenue <= 1000.00                       | Acme;Globex",
        "NumberOfEmployees = 10                         | Acme;O'Brien & Sons",
        "NumberOfEmployees > 9.5                        | Acme;acme labs;O'Brien & Sons",
        "NumberOfEmployees < -1                         | ",
        "Name LIKE 'ac%'                                | Acme;acme labs",
        "Name LIKE '%ME'                                | Acme",
        "Name LIKE '_cme'                               | Acme",
        "Name LIKE '%c%e%'                              | Acme;acme labs",
        "Name LIKE 'a_m'                                | ",
        "Name LIKE '%&%'                                | O'Brien & Sons",
        "Name = 'O\\'Brien & Sons'                      | O'Brien & Sons",
        "Name IN ('ACME', 'globex', null)               | Acme;Globex",
        "Name NOT IN ('Acme', 'Globex')                 | acme labs;O'Brien & Sons",
        "Industry IN ('Energy', null)                   | Globex;acme labs",
        "Industry NOT IN ('Energy')                     | Acme;acme labs;O'Brien & Sons",
        "NumberOfEmployees IN (10, 300.0)               | Acme;acme labs;O'Brien & Sons",
        "Name = 'Acme' OR Name = 'Globex'               | Acme;Globex",
        "Name LIKE 'a%' AND NumberOfEmployees > 100     | acme labs",
        "NOT Name LIKE 'a%'                             | Globex;O'Brien & Sons",
        "NOT (Name = 'Acme' OR Industry = 'Energy')     | acme labs;O'Brien & Sons",
        "(Name = 'Acme' OR Name = 'Globex') AND AnnualRevenue > 600 | Acme",
        "Owner.Alias = 'jadmin' AND Type = 'Other'      | acme labs",
        "Type > 'Other'                                 | Globex",
        "IsDeleted = false AND NumberOfEmployees = 10   | Acme;O'Brien & Sons",
        "IsDeleted = TRUE                               | ",
    })
    void whereFiltersLikeSalesforce(String where, String expected) {
        List<Object> names = column("SELECT Name FROM Account WHERE " + where);
        List<String> wanted = expected == null ? List.of() : Arrays.asList(expected.split(";"));

        assertThat(names).as(where).containsExactlyElementsOf(wanted);
    }

    @Test
    void idsCompareOnTheirEighteenCharacterForm() {
        assertThat(column("SELECT Name FROM Account WHERE Id = '" + acme.substring(0, 15) + "'"))
                .containsExactly("Acme");
        assertThat(column("SELECT Name FROM Account WHERE Id = '" + acme.substring(0, 15)
                + acme.substring(15).toLowerCase() + "'")).containsExactly("Acme");
        assertThat(column("SELECT Name FROM Account WHERE Id IN ('" + globex + "', '" + acme.substring(0, 15)
                + "')")).containsExactly("Acme", "Globex");
        assertThat(column("SELECT LastName FROM Contact WHERE AccountId = '" + acme.substring(0, 15)
                + "' ORDER BY LastName")).containsExactly("Doe", "Roe");
        assertThat(column("SELECT Name FROM Account WHERE Id > '" + globex + "' ORDER BY Id"))
                .containsExactly("acme labs", "O'Brien & Sons");
        assertThat(column("SELECT Name FROM Account WHERE Id = '" + jane + "'")).isEmpty();
        assertThat(column("SELECT Name FROM Account WHERE Id = '" + initech + "' AND Name = 'Acme'")).isEmpty();

        OrgException bad = error("SELECT Name FROM Account WHERE Id = 'nope'");
        assertThat(bad.errorCode()).isEqualTo("INVALID_QUERY_FILTER_OPERATOR");
        assertThat(bad.getMessage()).endsWith("\ninvalid ID field: nope");
    }

    @Test
    void multiSelectPicklistsMatchSetsWithIncludesAndExcludes() {
        String from = "SELECT Name FROM Sync_Sample__c WHERE ";
        assertThat(column(from + "Colors__c INCLUDES ('Red')")).containsExactly("today", "yesterday", "sunday");
        assertThat(column(from + "Colors__c INCLUDES ('red;blue', 'Yellow')"))
                .containsExactly("today", "tomorrow", "sunday");
        assertThat(column(from + "Colors__c EXCLUDES ('Red') AND Colors__c != null")).containsExactly("tomorrow");
        assertThat(column(from + "Colors__c = 'Blue;Red'")).containsExactly("today");
        assertThat(error(from + "Status__c INCLUDES ('New')").getMessage())
                .endsWith("includes or excludes operator only valid on multipicklist field");
        assertThat(error(from + "Colors__c LIKE 'R%'").getMessage())
                .endsWith("invalid operator on multipicklist field");
    }

    @Test
    void semiJoinsAndAntiJoinsFilterOnAnotherQuery() {
        assertThat(column("SELECT Name FROM Account WHERE Id IN (SELECT AccountId FROM Contact)"))
                .containsExactly("Acme");
        assertThat(column("SELECT Name FROM Account WHERE Id NOT IN (SELECT Account__c FROM Sync_Sample__c)"
                + " AND Industry != null")).containsExactly("O'Brien & Sons");
    }

    @Test
    void aliasesAndObjectPrefixesAreAllowedOnFieldNames() {
        assertThat(column("SELECT a.Name FROM Account a WHERE a.Industry = 'Energy'")).containsExactly("Globex");
        assertThat(column("SELECT Account.Name FROM Account WHERE Account.Name = 'Globex'"))
                .containsExactly("Globex");
    }

    // ------------------------------------------------------------------------------------------------ dates

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "= TODAY               | today",
        "= YESTERDAY           | yesterday",
        "= TOMORROW            | tomorrow",
        "= THIS_WEEK           | today;yesterday;tomorrow;sunday",
        "= LAST_WEEK           | saturday",
        "= NEXT_WEEK           | next sunday",
        "= THIS_MONTH          | today;yesterday;tomorrow;sunday;saturday;next sunday",
        "= LAST_MONTH          | april",
        "= NEXT_MONTH          | june",
        "= LAST_N_DAYS:1       | today;yesterday",
        "= NEXT_N_DAYS:4       | tomorrow;next sunday",
        "= LAST_90_DAYS        | today;yesterday;sunday;saturday;april;90 days ago",
        "= NEXT_90_DAYS        | tomorrow;next sunday;june;august",
        "= LAST_N_WEEKS:2      | saturday;april",
        "= THIS_QUARTER        | today;yesterday;tomorrow;sunday;saturday;next sunday;april;june",
        "= LAST_QUARTER        | 90 days ago;91 days ago;new year",
        "= LAST_YEAR           | new year's eve",
        "= LAST_N_YEARS:2      | 2022;new year's eve",
        "< THIS_WEEK           | saturday;april;90 days ago;91 days ago;new year;new year's eve;2022",
        "<= LAST_WEEK          | saturday;april;90 days ago;91 days ago;new year;new year's eve;2022",
        "<= YESTERDAY          | yesterday;sunday;saturday;april;90 days ago;91 days ago;new year;new year's eve;2022",
        "> THIS_WEEK           | next sunday;june;august",
        ">= TOMORROW           | tomorrow;next sunday;june;august",
        "!= THIS_YEAR          | new year's eve;2022;at midnight;just before;late today",
        "IN (YESTERDAY, TOMORROW) | yesterday;tomorrow",
        "= 2024-05-15          | today",
        "> 2024-06-01          | august",
    })
    void relativeDateLiteralsAreRangesOfTheOrgsCurrentDay(String condition, String expected) {
        List<Object> names = column("SELECT Name FROM Sync_Sample__c WHERE Due_Date__c " + condition);

        assertThat(names).as(condition).containsExactlyInAnyOrderElementsOf(Arrays.asList(expected.split(";")));
    }

    @Test
    void dateTimeFieldsTakeDateTimeLiteralsAndRelativeDatesAtUtcMidnight() {
        String from = "SELECT Name FROM Sync_Sample__c WHERE ";
        assertThat(column(from + "Due_At__c = TODAY")).containsExactly("at midnight", "late today");
        assertThat(column(from + "Due_At__c = YESTERDAY")).containsExactly("just before");
        assertThat(column(from + "Due_At__c < 2024-05-15T00:00:00Z")).containsExactly("just before");
        assertThat(column(from + "Due_At__c = 2024-05-15T01:00:00+01:00")).containsExactly("at midnight");
        assertThat(column(from + "Due_At__c = 2024-05-15T01:00:00.000+0100")).containsExactly("at midnight");
        assertThat(column(from + "Due_At__c >= 2024-05-14T23:59:59.999Z AND Due_At__c < 2024-05-15T00:00:00.5Z"))
                .containsExactly("at midnight", "just before");
        assertThat(column(from + "Alarm_Time__c = 07:30:00.000Z")).containsExactly("at midnight");
        assertThat(column("SELECT Name FROM Account WHERE CreatedDate = TODAY AND CreatedDate = LAST_N_DAYS:0"))
                .hasSize(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "Due_Date__c = 2024-05-15T00:00:00Z  | Due_Date__c     | date     | false",
        "Due_Date__c = '2024-05-15'          | Due_Date__c     | date     | false",
        "Due_At__c > 2024-05-15              | Due_At__c       | dateTime | false",
        "Name = 5                            | Name            | string   | true",
        "Name = TODAY                        | Name            | string   | true",
        "Flag__c = 'true'                    | Flag__c         | boolean  | false",
        "Quantity__c = '3'                   | Quantity__c     | integer  | false",
        "Amount__c = true                    | Amount__c       | double   | false",
        "Account__r.Name = 2024-01-01        | Account__r.Name | string   | true",
        "Account__c = 5                      | Account__c      | id       | true",
    })
    void literalsMustMatchTheFieldType(String where, String field, String type, boolean quoted) {
        OrgException e = error("SELECT Id FROM Sync_Sample__c WHERE " + where);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(e.getMessage()).endsWith("\nvalue of filter criterion for field '" + field + "' must be of type "
                + type + " and should " + (quoted ? "" : "not ") + "be enclosed in quotes");
    }

    @Test
    void operatorsMustSuitTheFieldType() {
        assertThat(error("SELECT Id FROM Sync_Sample__c WHERE Flag__c > false").getMessage())
                .endsWith("invalid operator on boolean field");
        assertThat(error("SELECT Id FROM Account WHERE NumberOfEmployees LIKE '1%'").errorCode())
                .isEqualTo("INVALID_QUERY_FILTER_OPERATOR");
        assertThat(error("SELECT Id FROM Account WHERE Description = 'x'").getMessage())
                .endsWith("field 'Description' can not be filtered in a query call");
        assertThat(error("SELECT Id FROM Sync_Sample__c ORDER BY Colors__c").getMessage())
                .endsWith("field 'Colors__c' can not be sorted in a query call");
    }

    // ------------------------------------------------------------------------------ order, limit and offset

    @Test
    void orderByTakesSeveralKeysWithNullsFirstByDefault() {
        assertThat(column("SELECT Name FROM Account ORDER BY Industry, Name DESC"))
                .containsExactly("acme labs", "O'Brien & Sons", "Globex", "Acme");
        assertThat(column("SELECT Name FROM Account ORDER BY Industry DESC"))
                .containsExactly("acme labs", "Acme", "Globex", "O'Brien & Sons");
        assertThat(column("SELECT Name FROM Account ORDER BY Industry DESC NULLS LAST, Name"))
                .containsExactly("Acme", "Globex", "O'Brien & Sons", "acme labs");
        assertThat(column("SELECT Name FROM Account ORDER BY NumberOfEmployees ASC NULLS LAST, Name"))
                .containsExactly("Acme", "O'Brien & Sons", "acme labs", "Globex");
        assertThat(column("SELECT Name FROM Account ORDER BY Name")).as("text sorts ignoring case")
                .containsExactly("Acme", "acme labs", "Globex", "O'Brien & Sons");
        assertThat(column("SELECT Name FROM Account WHERE Type != null ORDER BY Type"))
                .as("picklists sort in their defined order")
                .containsExactly("Globex", "Acme", "acme labs");
        assertThat(column("SELECT LastName FROM Contact ORDER BY Account.Name NULLS LAST, LastName DESC"))
                .containsExactly("Roe", "Doe", "Solo");
    }

    @Test
    void limitAndOffsetCutTheSortedRows() {
        assertThat(column("SELECT Name FROM Account ORDER BY Name LIMIT 2")).containsExactly("Acme", "acme labs");
        assertThat(column("SELECT Name FROM Account ORDER BY Name LIMIT 2 OFFSET 1"))
                .containsExactly("acme labs", "Globex");
        assertThat(column("SELECT Name FROM Account ORDER BY Name OFFSET 3")).containsExactly("O'Brien & Sons");
        assertThat(column("SELECT Name FROM Account LIMIT 0")).isEmpty();
        assertThat(column("SELECT Name FROM Account OFFSET 2000")).isEmpty();

        OrgException tooFar = error("SELECT Name FROM Account OFFSET 2001");
        assertThat(tooFar.errorCode()).isEqualTo("NUMBER_OUTSIDE_VALID_RANGE");
        assertThat(tooFar.getMessage()).isEqualTo("Maximum SOQL offset allowed for apiName Account is 2000");
    }

    // ---------------------------------------------------------------------------------- child subqueries

    @Test
    void childSubqueriesNestTheChildRowsOfEachParent() {
        QueryResult result = query("SELECT Name, (SELECT LastName FROM Contacts WHERE LastName != 'Nobody'"
                + " ORDER BY LastName DESC), (select Name from sync_samples__r order by Name limit 1) FROM Account"
                + " WHERE Name IN ('Acme', 'Globex') ORDER BY Name");

        assertThat(result.columns()).containsExactly("Name", "Contacts", "Sync_Samples__r");
        Object[] acmeRow = result.rows().get(0);
        QueryResult contacts = (QueryResult) acmeRow[1];
        assertThat(contacts.object()).isEqualTo("Contact");
        assertThat(contacts.rows()).extracting(r -> r[0]).containsExactly("Roe", "Doe");
        assertThat(((QueryResult) acmeRow[2]).rows()).extracting(r -> r[0]).containsExactly("at midnight");
        Object[] globexRow = result.rows().get(1);
        assertThat(globexRow[1]).isNull();
        assertThat(((QueryResult) globexRow[2]).totalSize()).isEqualTo(1);
    }

    @Test
    void anUnknownChildRelationshipIsAnInvalidType() {
        OrgException e = error("SELECT Id, (SELECT Id FROM Kontacts) FROM Account");

        assertThat(e.errorCode()).isEqualTo("INVALID_TYPE");
        assertThat(e.getMessage()).contains("ERROR at Row:1:Column:28\nDidn't understand relationship 'Kontacts'"
                + " in FROM part of query call.");
    }

    // ---------------------------------------------------------------------------------------- aggregates

    @Test
    void countOnlyAnswersTheNumberOfRows() {
        QueryResult count = query("SELECT COUNT() FROM Account");
        assertThat(count.countOnly()).isTrue();
        assertThat(count.totalSize()).isEqualTo(4);
        assertThat(count.rows()).isEmpty();
        assertThat(count.columns()).isEmpty();
        assertThat(query("select count() from Account where Name like 'a%'").totalSize()).isEqualTo(2);
        assertThat(query("SELECT COUNT() FROM Account LIMIT 3").totalSize()).isEqualTo(3);
        assertThat(Soql.execute(org, "SELECT COUNT() FROM Account", true).totalSize()).isEqualTo(5);
    }

    @Test
    void aggregateFunctionsGiveOneRowNamedByAliasOrExprN() {
        QueryResult result = query("SELECT COUNT(Id), MAX(AnnualRevenue) top, MIN(Name), SUM(NumberOfEmployees),"
                + " AVG(AnnualRevenue), COUNT_DISTINCT(NumberOfEmployees), MAX(CreatedDate) FROM Account");

        assertThat(result.columns()).containsExactly("expr0", "top", "expr1", "expr2", "expr3", "expr4", "expr5");
        assertThat(result.rows()).hasSize(1);
        Object[] row = result.rows().get(0);
        assertThat(row[0]).isEqualTo(4);
        assertThat((BigDecimal) row[1]).isEqualByComparingTo("1000");
        assertThat(row[2]).isEqualTo("Acme");
        assertThat((BigDecimal) row[3]).isEqualByComparingTo("320");
        assertThat((BigDecimal) row[4]).isEqualByComparingTo("750");
        assertThat(row[5]).isEqualTo(2);
        assertThat(row[6]).isEqualTo(NOW);
    }

    @Test
    void aggregatesOverNoRowsAreZeroOrNull() {
        Object[] row = query("SELECT COUNT(Id), MAX(Name) FROM Account WHERE Name = 'nobody'").rows().get(0);

        assertThat(row).containsExactly(0, null);
    }

    @Test
    void groupByGivesOneRowPerGroup() {
        QueryResult result = query("SELECT Industry, COUNT(Id) n FROM Account WHERE Name != 'Globex'"
                + " GROUP BY Industry ORDER BY COUNT(Id) DESC, Industry NULLS LAST");

        assertThat(result.columns()).containsExactly("Industry", "n");
        assertThat(result.rows()).extracting(r -> Arrays.asList(r)).containsExactly(
                Arrays.asList("Banking", 1), Arrays.asList("Technology", 1), Arrays.asList(null, 1));
        assertThat(query("SELECT COUNT(Id) FROM Contact GROUP BY Account.Name").rows()).hasSize(2);
    }

    @Test
    void aggregateQueriesRejectUngroupedFields() {
        OrgException e = error("SELECT Name, COUNT(Id) FROM Account");

        assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(e.getMessage()).endsWith("Field must be grouped or aggregated: Name");
        assertThat(error("SELECT SUM(Name) FROM Account").getMessage())
                .endsWith("field Name does not support aggregate operator SUM");
        assertThat(error("SELECT COUNT(), Name FROM Account").errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(error("SELECT CreatedDate, COUNT(Id) FROM Account GROUP BY CreatedDate").getMessage())
                .endsWith("field 'CreatedDate' can not be grouped in a query call");
    }

    // ---------------------------------------------------------------------------------- recycle bin

    @Test
    void queryAllAddsTheRecycleBin() {
        assertThat(column("SELECT Name FROM Account WHERE Name = 'Gone Ltd'")).isEmpty();
        QueryResult all = Soql.execute(org, "SELECT Name, IsDeleted FROM Account WHERE IsDeleted = true", true);
        assertThat(all.rows()).extracting(r -> Arrays.asList(r)).containsExactly(Arrays.asList("Gone Ltd", true));
        assertThat(Soql.execute(org, "SELECT Name FROM Account WHERE Id = '" + deletedAccount + "'", true).rows())
                .hasSize(1);
        assertThat(column("SELECT Name FROM Account WHERE Id = '" + deletedAccount + "'")).isEmpty();
    }

    // ---------------------------------------------------------------------------------------- errors

    @Test
    void anUnknownFieldIsAnInvalidFieldPointingAtIt() {
        OrgException e = error("SELECT Id, Foo FROM Account");

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("INVALID_FIELD");
        assertThat(e.getMessage()).isEqualTo("\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\n"
                + "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to"
                + " append the '__c' after the custom field name. Please reference your WSDL or the describe call"
                + " for the appropriate names.");
        assertThat(error("SELECT Owner.Foo FROM Account").getMessage())
                .contains("No such column 'Foo' on entity 'User'");
        assertThat(error("SELECT Ownr.Name FROM Account").getMessage())
                .endsWith("Didn't understand relationship 'Ownr' in field path. If you are attempting to use a"
                        + " custom relationship, be sure to append the '__r' after the custom relationship name."
                        + " Please reference your WSDL or the describe call for the appropriate names.");
        assertThat(error("SELECT Id FROM Account WHERE Nope__c = 1").errorCode()).isEqualTo("INVALID_FIELD");
    }

    @Test
    void anUnknownObjectIsAnInvalidType() {
        OrgException e = error("SELECT Id FROM Foo");

        assertThat(e.errorCode()).isEqualTo("INVALID_TYPE");
        assertThat(e.getMessage()).isEqualTo("\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\n"
                + "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to"
                + " append the '__c' after the entity name. Please reference your WSDL or the describe call for the"
                + " appropriate names.");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT Id FROM Account WHERE                        | unexpected token: '<EOF>'",
        "SELECT FROM Account                                 | unexpected token: 'FROM'",
        "SELECT Id, FROM Account                             | unexpected token: 'FROM'",
        "SELECT Id Account                                   | unexpected token: 'Account'",
        "SELECT Id FROM Account WHERE Name = 'a' AND Name = 'b' OR Name = 'c' | unexpected token: 'OR'",
        "SELECT Id FROM Account WHERE Name = \"x\"           | no viable alternative at character '\"'",
        "SELECT Id FROM Account WHERE Name = 'x              | mismatched character '<EOF>' expecting '''",
        "SELECT Id FROM Account WHERE Name = 'a\\qb'         | Illegal character sequence '\\q' in string literal.",
        "SELECT Id FROM Account LIMIT -1                     | unexpected token: '-1'",
        "SELECT Id FROM Account WHERE CreatedDate = 2024-13-01 | unexpected token: '2024-13-01'",
        "SELECT Id FROM Account WHERE CreatedDate > LAST_N_DAYS | unexpected token: '<EOF>'",
        "SELECT Id FROM Account WHERE CreatedDate > :since    | unexpected token: ':'",
        "SELECT Id, Id FROM Account                          | duplicate field selected: Id",
        "SELECT toLabel(Industry) FROM Account               | unexpected token: 'toLabel'",
        "SELECT Id FROM Account ORDER BY                     | unexpected token: '<EOF>'",
        "SELECT Id FROM Account LIMIT 5 extra                | unexpected token: 'extra'",
    })
    void syntaxErrorsAreMalformedQueries(String soql, String message) {
        OrgException e = error(soql);

        assertThat(e.status()).isEqualTo(400);
        assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
        assertThat(e.getMessage()).contains("\nERROR at Row:1:Column:").endsWith(message);
    }

    @Test
    void errorsOnLaterLinesGiveTheirRowAndColumn() {
        OrgException e = error("SELECT Id,\n       Nope\nFROM Account");

        assertThat(e.getMessage()).startsWith("\n       Nope\n       ^\nERROR at Row:2:Column:8\nNo such column");
    }

    @Test
    void anEmptyQueryIsMalformed() {
        assertThat(error(" ").getMessage()).isEqualTo("A query string has to be specified");
    }

    @Test
    void parsedStatementsDescribeTheirFeatures() {
        SoqlQuery plain = Soql.parse("SELECT Id FROM Account LIMIT 5");
        assertThat(plain.objectName()).isEqualTo("Account");
        assertThat(plain.limit()).isEqualTo(5);
        assertThat(plain.aggregate() || plain.countOnly() || plain.hasChildSubqueries() || plain.hasOffset()
                || plain.usesFieldsFunction()).isFalse();
        assertThat(Soql.parse("SELECT COUNT() FROM Account").countOnly()).isTrue();
        assertThat(Soql.parse("SELECT MAX(Name) FROM Account").aggregate()).isTrue();
        assertThat(Soql.parse("SELECT Id, (SELECT Id FROM Contacts) FROM Account").hasChildSubqueries()).isTrue();
        assertThat(Soql.parse("SELECT FIELDS(ALL) FROM Account LIMIT 1 OFFSET 1").usesFieldsFunction()).isTrue();
        assertThat(Soql.parse("SELECT Id FROM Account OFFSET 1").hasOffset()).isTrue();
        assertThat(Soql.parse("SELECT Id FROM Account")).isSameAs(Soql.parse("SELECT Id FROM Account"));
    }

    private static QueryResult query(String soql) {
        return Soql.execute(org, soql, false);
    }

    /** The values of the first column, in row order. */
    private static List<Object> column(String soql) {
        List<Object> values = new ArrayList<>();
        for (Object[] row : query(soql).rows()) {
            values.add(row[0]);
        }
        return values;
    }

    private static OrgException error(String soql) {
        try {
            query(soql);
        } catch (OrgException e) {
            return e;
        }
        throw new AssertionError("no error for " + soql);
    }
}
