package dev.lockstep.emulator.query;

import dev.lockstep.emulator.Emulator;
import dev.lockstep.emulator.http.Request;
import dev.lockstep.emulator.http.Response;
import dev.lockstep.emulator.http.Route.Access;
import dev.lockstep.emulator.http.Router;
import dev.lockstep.emulator.org.OrgException;
import java.util.Locale;

/**
 * The REST query resources: {@code GET /services/data/vXX.X/query?q=} (live rows), {@code /queryAll?q=} (with the
 * recycle bin) and queryMore, {@code GET <nextRecordsUrl>} = {@code /query/01g...-2000}. Pages hold 2,000 rows,
 * or what {@code Sforce-Query-Options: batchSize=n} asks (200 to 2,000). Salesforce accepts only GET here (long
 * statements go through Composite), so POST answers 405 like any other unsupported method.
 */
public final class QueryApi {

    static final int DEFAULT_BATCH = 2000;
    static final int MIN_BATCH = 200;

    private QueryApi() {}

    public static void register(Router router, Emulator emulator) {
        QueryCursors cursors = new QueryCursors(emulator.clock());
        router.add("GET", "/services/data/{version}/query", "rest.query", Access.API,
                request -> query(request, emulator, cursors, false));
        router.add("GET", "/services/data/{version}/queryAll", "rest.query", Access.API,
                request -> query(request, emulator, cursors, true));
        router.add("GET", "/services/data/{version}/query/{locator}", "rest.query", Access.API,
                request -> more(request, cursors));
        router.add("GET", "/services/data/{version}/queryAll/{locator}", "rest.query", Access.API,
                request -> more(request, cursors));
    }

    private static Response query(Request request, Emulator emulator, QueryCursors cursors, boolean all) {
        String soql = request.query("q").orElse(null);
        if (soql == null || soql.isBlank()) {
            throw new OrgException(400, SoqlErrors.MALFORMED_QUERY, "A query string has to be specified");
        }
        ResultSet results = Soql.run(emulator.org(), Soql.parse(soql), all, true);
        int pageSize = batchSize(request, DEFAULT_BATCH);
        int total = results.rows().size();
        if (total <= pageSize) {
            return page(request, results, 0, total, null);
        }
        String cursor = cursors.open(request.session().userId(), results, pageSize);
        return page(request, results, 0, pageSize, cursor);
    }

    private static Response more(Request request, QueryCursors cursors) {
        String locator = request.param("locator");
        int dash = locator.lastIndexOf('-');
        if (dash <= 0) {
            throw QueryCursors.invalid();
        }
        int offset;
        try {
            offset = Integer.parseInt(locator.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw QueryCursors.invalid();
        }
        QueryCursors.Cursor cursor = cursors.use(locator.substring(0, dash), request.session().userId());
        int total = cursor.results.rows().size();
        if (offset < 0 || offset >= total) {
            throw QueryCursors.invalid();
        }
        int pageSize = batchSize(request, cursor.pageSize);
        int to = Math.min(offset + pageSize, total);
        return page(request, cursor.results, offset, to, to < total ? cursor.id : null);
    }

    private static Response page(Request request, ResultSet results, int from, int to, String cursor) {
        String prefix = request.dataPrefix();
        String next = cursor == null ? null : prefix + "/query/" + cursor + "-" + to;
        return Response.bytes(200, Response.JSON_TYPE, JsonRenderer.page(results, from, to, next, prefix));
    }

    /** {@code Sforce-Query-Options: batchSize=n}, kept within 200 to 2,000; the value is advisory. */
    static int batchSize(Request request, int fallback) {
        String options = request.header("Sforce-Query-Options").orElse(null);
        if (options == null) {
            return fallback;
        }
        for (String option : options.split(",")) {
            String[] pair = option.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().toLowerCase(Locale.ROOT).equals("batchsize")) {
                try {
                    int size = Integer.parseInt(pair[1].trim());
                    return Math.max(MIN_BATCH, Math.min(DEFAULT_BATCH, size));
                } catch (NumberFormatException e) {
                    return fallback;
                }
            }
        }
        return fallback;
    }
}
