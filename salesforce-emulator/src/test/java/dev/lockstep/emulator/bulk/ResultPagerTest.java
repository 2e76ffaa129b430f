package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.emulator.org.OrgException;
import dev.lockstep.emulator.query.QueryResult;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Query result chunks and locators, on rows built in the test (no SOQL, no HTTP). */
class ResultPagerTest {

    private static QueryResult rows(int count) {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            rows.add(new Object[] {"001Lk00000000" + i, "Account " + i, i % 3 == 0 ? null : new BigDecimal(i)});
        }
        return new QueryResult("Account", List.of("Id", "Name", "AnnualRevenue"), rows, count, false);
    }

    private static String text(ResultPager.Page page) {
        return new String(page.csv(), StandardCharsets.UTF_8);
    }

    @Test
    void locatorsAreUnpaddedBase64OfTheRowOffsetLikeSalesforcesExample() {
        assertThat(ResultPager.encode(10_000)).isEqualTo("MTAwMDA");
        assertThat(ResultPager.decode("MTAwMDA", 10_000)).isEqualTo(10_000);
        for (int offset : new int[] {1, 62, 63, 999_999, Integer.MAX_VALUE}) {
            assertThat(ResultPager.encode(offset)).matches("[A-Za-z0-9]+");
        }
    }

    @Test
    void pagesCoverEveryRowOnceWithAHeaderEachAndEndWithTheLiteralNull() {
        QueryResult result = rows(7);
        List<String> lines = new ArrayList<>();
        String locator = null;
        int pages = 0;
        do {
            ResultPager.Page page = ResultPager.page(result, locator, "3", ColumnDelimiter.COMMA, LineEnding.LF);
            String[] pageLines = text(page).split("\n");
            assertThat(pageLines[0]).isEqualTo("\"Id\",\"Name\",\"AnnualRevenue\"");
            assertThat(page.numberOfRecords()).isEqualTo(pageLines.length - 1);
            lines.addAll(List.of(pageLines).subList(1, pageLines.length));
            locator = page.nextLocator();
            pages++;
        } while (!locator.equals("null"));

        assertThat(pages).isEqualTo(3);
        assertThat(lines).hasSize(7);
        assertThat(lines.get(0)).isEqualTo("\"001Lk000000000\",\"Account 0\",");
        assertThat(lines.get(1)).isEqualTo("\"001Lk000000001\",\"Account 1\",\"1\"");
    }

    @Test
    void aLocatorCanBeFetchedAgainAndMaxRecordsMayChangeBetweenPages() {
        QueryResult result = rows(10);
        ResultPager.Page first = ResultPager.page(result, null, "4", ColumnDelimiter.COMMA, LineEnding.LF);
        ResultPager.Page again = ResultPager.page(result, first.nextLocator(), "4", ColumnDelimiter.COMMA,
                LineEnding.LF);
        ResultPager.Page once = ResultPager.page(result, first.nextLocator(), "4", ColumnDelimiter.COMMA,
                LineEnding.LF);
        ResultPager.Page rest = ResultPager.page(result, first.nextLocator(), null, ColumnDelimiter.COMMA,
                LineEnding.LF);

        assertThat(again.csv()).isEqualTo(once.csv());
        assertThat(text(again)).contains("Account 4").contains("Account 7").doesNotContain("Account 8");
        assertThat(rest.numberOfRecords()).isEqualTo(6);
        assertThat(rest.nextLocator()).isEqualTo("null");
    }

    @Test
    void withoutMaxRecordsAChunkHoldsTheDefaultNumberOfRows() {
        QueryResult result = rows(ResultPager.DEFAULT_MAX_RECORDS + 1);

        ResultPager.Page first = ResultPager.page(result, "", null, ColumnDelimiter.COMMA, LineEnding.LF);
        ResultPager.Page last = ResultPager.page(result, first.nextLocator(), null, ColumnDelimiter.COMMA,
                LineEnding.LF);

        assertThat(first.numberOfRecords()).isEqualTo(ResultPager.DEFAULT_MAX_RECORDS);
        assertThat(last.numberOfRecords()).isEqualTo(1);
        assertThat(last.nextLocator()).isEqualTo("null");
    }

    @Test
    void anEmptyResultIsAHeaderAlone() {
        ResultPager.Page page = ResultPager.page(rows(0), null, null, ColumnDelimiter.TAB, LineEnding.CRLF);

        assertThat(text(page)).isEqualTo("\"Id\"\t\"Name\"\t\"AnnualRevenue\"\r\n");
        assertThat(page.numberOfRecords()).isZero();
        assertThat(page.nextLocator()).isEqualTo("null");
    }

    @Test
    void theJobsDelimiterAndLineEndingShapeEveryRow() {
        QueryResult result = new QueryResult("Account", List.of("Id", "CreatedDate", "Owner.Name"),
                List.<Object[]>of(new Object[] {"001", Instant.parse("2024-05-01T10:20:30.400Z"), "a;b"}), 1,
                false);

        ResultPager.Page page = ResultPager.page(result, null, null, ColumnDelimiter.SEMICOLON, LineEnding.CRLF);

        assertThat(text(page)).isEqualTo("\"Id\";\"CreatedDate\";\"Owner.Name\"\r\n"
                + "\"001\";\"2024-05-01T10:20:30.400+0000\";\"a;b\"\r\n");
    }

    @Test
    void locatorsThatNameNoChunkAndBadMaxRecordsAreRejected() {
        QueryResult result = rows(5);
        for (String bad : new String[] {"!!", "MTAwMDA", ResultPager.encode(0), "MDA", "bnVsbA"}) {
            assertThatThrownBy(() -> ResultPager.page(result, bad, null, ColumnDelimiter.COMMA, LineEnding.LF))
                    .isInstanceOfSatisfying(OrgException.class, e -> {
                        assertThat(e.status()).isEqualTo(400);
                        assertThat(e.errorCode()).isEqualTo("INVALID_QUERY_LOCATOR");
                    });
        }
        for (String bad : new String[] {"0", "-1", "ten"}) {
            assertThatThrownBy(() -> ResultPager.page(result, null, bad, ColumnDelimiter.COMMA, LineEnding.LF))
                    .isInstanceOfSatisfying(OrgException.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
