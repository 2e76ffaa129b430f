package dev.lockstep.emulator.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The upload CSV reader: RFC 4180 quoting, every delimiter, and Salesforce's line-ending rule. */
class CsvReaderTest {

    private static CsvReader.Table parse(String csv, ColumnDelimiter delimiter, LineEnding lineEnding)
            throws CsvException {
        return CsvReader.parse(csv.getBytes(StandardCharsets.UTF_8), delimiter, lineEnding);
    }

    @Test
    void readsQuotedFieldsWithDelimitersDoubledQuotesLineBreaksAndUtf8() throws Exception {
        CsvReader.Table table = parse("Name,Description\n"
                + "\"Acme, Inc.\",\"He said \"\"hi\"\"\"\n"
                + "\"Zoë 🚀\",\"line one\nline two\"\n"
                + "plain,\n", ColumnDelimiter.COMMA, LineEnding.LF);

        assertThat(table.header()).containsExactly("Name", "Description");
        assertThat(table.rows()).hasSize(3);
        assertThat(table.rows().get(0)).containsExactly("Acme, Inc.", "He said \"hi\"");
        assertThat(table.rows().get(1)).containsExactly("Zoë 🚀", "line one\nline two");
        assertThat(table.rows().get(2)).containsExactly("plain", "");
    }

    @ParameterizedTest
    @EnumSource(ColumnDelimiter.class)
    void everyDelimiterSplitsFieldsAndIsDataInsideQuotes(ColumnDelimiter delimiter) throws Exception {
        char d = delimiter.character();
        CsvReader.Table table = parse("Name" + d + "Text__c\r\n\"a" + d + "b\"" + d + "c\r\n",
                delimiter, LineEnding.CRLF);

        assertThat(table.header()).containsExactly("Name", "Text__c");
        assertThat(table.rows()).singleElement().satisfies(row -> assertThat(row).containsExactly("a" + d + "b", "c"));
    }

    @Test
    void crlfRowsInAnLfJobFailTheJobAsSalesforceDoes() {
        assertThatThrownBy(() -> parse("Name\r\nA\r\n", ColumnDelimiter.COMMA, LineEnding.LF))
                .isInstanceOf(CsvException.class)
                .hasMessage("ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF");
        assertThatThrownBy(() -> parse("Name\nA\n", ColumnDelimiter.COMMA, LineEnding.CRLF))
                .hasMessage("ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is"
                        + " CRLF");
    }

    @Test
    void lineBreaksInsideQuotesDoNotCountAsLineEndings() throws Exception {
        CsvReader.Table table = parse("Name\r\n\"a\nb\r\nc\"\r\n", ColumnDelimiter.COMMA, LineEnding.CRLF);

        assertThat(table.rows()).singleElement().satisfies(row -> assertThat(row).containsExactly("a\nb\r\nc"));
    }

    @Test
    void skipsByteOrderMarkAndBlankLinesAndTrimsHeaderNames() throws Exception {
        CsvReader.Table table = parse("\uFEFF Name , Phone\n\nA,1\n\nB,2", ColumnDelimiter.COMMA, LineEnding.LF);

        assertThat(table.header()).containsExactly("Name", "Phone");
        assertThat(table.rows()).hasSize(2);
        assertThat(table.rows().get(1)).containsExactly("B", "2");
    }

    @Test
    void keepsRowsOfAnyWidthForTheCallerToJudge() throws Exception {
        CsvReader.Table table = parse("A,B\n1\n1,2,3\n", ColumnDelimiter.COMMA, LineEnding.LF);

        assertThat(table.rows().get(0)).containsExactly("1");
        assertThat(table.rows().get(1)).containsExactly("1", "2", "3");
    }

    @Test
    void emptyInputHasNoHeader() throws Exception {
        assertThat(parse("", ColumnDelimiter.COMMA, LineEnding.LF).header()).isEmpty();
        assertThat(parse("Name\n", ColumnDelimiter.COMMA, LineEnding.LF).rows()).isEmpty();
    }

    @Test
    void malformedQuotingFailsTheJob() {
        assertThatThrownBy(() -> parse("Name\n\"open\n", ColumnDelimiter.COMMA, LineEnding.LF))
                .isInstanceOf(CsvException.class).hasMessageContaining("never closed");
        assertThatThrownBy(() -> parse("Name\n\"a\"b\n", ColumnDelimiter.COMMA, LineEnding.LF))
                .isInstanceOf(CsvException.class).hasMessageContaining("after a closing quote on line 2");
    }

    @Test
    void aCarriageReturnWithoutLineFeedIsData() throws Exception {
        CsvReader.Table table = parse("Name\na\rb\n", ColumnDelimiter.COMMA, LineEnding.LF);

        assertThat(table.rows()).singleElement().satisfies(row -> assertThat(row).isEqualTo(List.of("a\rb")
                .toArray(new String[0])));
    }
}
