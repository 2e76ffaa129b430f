package dev.lockstep.emulator.bulk;

import static dev.lockstep.emulator.bulk.BulkHttp.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.EmulatorConfig;
import dev.lockstep.emulator.org.WriteContext;
import dev.lockstep.emulator.query.Soql;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Query jobs whose rows come from SOQL ({@link Soql#execute}): columns, nulls, queryAll, the snapshot, and SOQL
 * errors on create.
 */
class BulkQueryJobTest {

    private static final AtomicInteger UNIQUE = new AtomicInteger();

    private static Emulator emulator;
    private static BulkHttp bulk;

    @BeforeAll
    static void start() {
        emulator = Emulator.start(EmulatorConfig.defaults());
        bulk = new BulkHttp(emulator, 60);
    }

    @AfterAll
    static void stop() {
        emulator.close();
    }

    private static String prefix() {
        return "QJ" + UNIQUE.incrementAndGet() + "-";
    }

    private static String seed(Map<String, Object> values) {
        return emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> txn.create("Account", values));
    }

    private static Map<String, Object> account(String name, Object phone, Object employees) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("Name", name);
        values.put("Phone", phone);
        values.put("NumberOfEmployees", employees);
        return values;
    }

    private static String createJob(String operation, String soqlText) {
        return bulk.create("query", "{\"operation\":\"" + operation + "\",\"query\":\"" + soqlText + "\"}")
                .get("id").asText();
    }

    private static HttpResponse<String> results(String id, String query) {
        HttpResponse<String> response = bulk.send("GET", bulk.data() + "/jobs/query/" + id + "/results" + query,
                null, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response;
    }

    @Test
    void columnsFollowTheSelectOrderAndNullsAreEmptyFields() {
        String p = prefix();
        String first = seed(account(p + "A", "555-0101", 10));
        String second = seed(account(p + "B", null, null));

        String id = createJob("query", "SELECT Name, Id, Phone, NumberOfEmployees, Owner.Name FROM Account"
                + " WHERE Name LIKE '" + p + "%' ORDER BY Name");
        assertThat(bulk.awaitEnd("query", id).get("state").asText()).isEqualTo("JobComplete");
        HttpResponse<String> page = results(id, "");

        assertThat(page.headers().firstValue("Sforce-NumberOfRecords")).hasValue("2");
        assertThat(page.headers().firstValue("Sforce-Locator")).hasValue("null");
        assertThat(page.body()).isEqualTo("\"Name\",\"Id\",\"Phone\",\"NumberOfEmployees\",\"Owner.Name\"\n"
                + "\"" + p + "A\",\"" + first + "\",\"555-0101\",\"10\",\"Admin Emulator\"\n"
                + "\"" + p + "B\",\"" + second + "\",,,\"Admin Emulator\"\n");
        assertThat(bulk.status("query", id).get("numberRecordsProcessed").asInt()).isEqualTo(2);
    }

    @Test
    void queryAllAlsoReturnsDeletedRecords() {
        String p = prefix();
        seed(account(p + "Live", null, null));
        String gone = seed(account(p + "Gone", null, null));
        emulator.org().write(WriteContext.system(emulator.adminUserId()), txn -> {
            txn.delete(gone);
            return null;
        });
        String soqlText = "SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE '" + p + "%'";

        String query = createJob("query", soqlText);
        String queryAll = createJob("queryAll", soqlText);
        bulk.awaitEnd("query", query);
        bulk.awaitEnd("query", queryAll);

        assertThat(results(query, "").headers().firstValue("Sforce-NumberOfRecords")).hasValue("1");
        assertThat(results(queryAll, "").body()).contains("\"" + gone + "\",\"" + p + "Gone\",\"true\"");
        assertThat(bulk.status("query", queryAll).get("operation").asText()).isEqualTo("queryAll");
    }

    @Test
    void theJobKeepsTheRowsItsQuerySelectedWhenCreated() {
        String p = prefix();
        for (int i = 0; i < 5; i++) {
            seed(account(p + i, null, i));
        }

        String id = createJob("query", "SELECT Id, Name FROM Account WHERE Name LIKE '" + p + "%' ORDER BY Name");
        seed(account(p + "late", null, null));
        bulk.awaitEnd("query", id);

        List<String> names = new ArrayList<>();
        String locator = "";
        do {
            HttpResponse<String> page = results(id, "?maxRecords=2" + (locator.isEmpty() ? "" : "&locator=" + locator));
            for (Map<String, String> row : BulkHttp.rows(page.body())) {
                names.add(row.get("Name"));
            }
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
        } while (!locator.equals("null"));
        assertThat(names).containsExactly(p + 0, p + 1, p + 2, p + 3, p + 4);
    }

    @Test
    void aBadQueryIsRefusedOnCreateWithSoqlsError() {
        String path = bulk.data() + "/jobs/query";
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELEC Id FROM"
                + " Account\"}"), 400, "MALFORMED_QUERY", null);
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT Bogus__c"
                + " FROM Account\"}"), 400, "INVALID_FIELD", null);
        assertError(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT Id FROM"
                + " Nope__c\"}"), 400, "INVALID_TYPE", null);
        assertThat(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT COUNT()"
                + " FROM Account\"}").statusCode()).isEqualTo(400);
        assertThat(bulk.send("POST", path, "application/json", "{\"operation\":\"query\",\"query\":\"SELECT Id,"
                + " BillingAddress FROM Account\"}").statusCode()).isEqualTo(400);
    }

    /**
     * The export target end to end: a million Accounts selected by SOQL, then fetched in default-sized chunks.
     * Heavy, so it runs only with {@code -Dlockstep.bulk.benchmark=true}.
     */
    @Test
    @EnabledIfSystemProperty(named = "lockstep.bulk.benchmark", matches = "true")
    void exportsAMillionAccountsSelectedBySoql() {
        String p = prefix();
        for (int i = 0; i < 1_000_000; i++) {
            Map<String, Object> values = new LinkedHashMap<>();
            values.put("Name", p + i);
            values.put("NumberOfEmployees", i);
            values.put("OwnerId", emulator.adminUserId());
            emulator.org().seed("Account", values);
        }

        long started = System.nanoTime();
        String id = createJob("query", "SELECT Id, Name, NumberOfEmployees, CreatedDate, SystemModstamp FROM Account"
                + " WHERE Name LIKE '" + p + "%'");
        bulk.awaitEnd("query", id);
        long queried = System.nanoTime();
        long rows = 0;
        String locator = "";
        do {
            HttpResponse<byte[]> page = bulk.sendBytes("GET", bulk.data() + "/jobs/query/" + id + "/results"
                    + (locator.isEmpty() ? "" : "?locator=" + locator), null, null);
            rows += Long.parseLong(page.headers().firstValue("Sforce-NumberOfRecords").orElseThrow());
            locator = page.headers().firstValue("Sforce-Locator").orElseThrow();
        } while (!locator.equals("null"));
        long exported = System.nanoTime();

        System.out.printf("SOQL %,d ms, export of %,d rows %,d ms%n", (queried - started) / 1_000_000, rows,
                (exported - queried) / 1_000_000);
        assertThat(rows).isEqualTo(1_000_000);
        assertThat((exported - queried) / 1_000_000).isLessThan(10_000);
    }
}
