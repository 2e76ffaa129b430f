package dev.lockstep.emulator.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.emulator.org.OrgException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The SOQL grammar on its own: tokens, literals, the shape of the tree, and where errors point. */
class ParserTest {

    private static Ast.Select parse(String soql) {
        return Parser.parse(soql, new SoqlErrors(soql));
    }

    private static Ast.Literal where(String condition) {
        return ((Ast.Compare) parse("SELECT Id FROM X WHERE F " + condition).where()).value();
    }

    @Test
    void keywordsAreCaseInsensitiveAndEveryClauseIsRead() {
        Ast.Select s = parse("select Id, Owner.Name, (select Id from Contacts), count(Id) n, fields(STANDARD)"
                + " from Account acc where Name = 'x' with security_enforced group by Name order by Name desc nulls"
                + " last, Id limit 10 offset 5 for view");

        assertThat(s.items()).hasSize(5);
        assertThat(((Ast.FieldItem) s.items().get(1)).path().parts()).containsExactly("Owner", "Name");
        assertThat(((Ast.Subquery) s.items().get(2)).select().from()).isEqualTo("Contacts");
        Ast.Aggregate count = (Ast.Aggregate) s.items().get(3);
        assertThat(count.function()).isEqualTo("COUNT");
        assertThat(count.alias()).isEqualTo("n");
        assertThat(((Ast.Fields) s.items().get(4)).kind()).isEqualTo("STANDARD");
        assertThat(s.from()).isEqualTo("Account");
        assertThat(s.alias()).isEqualTo("acc");
        assertThat(s.groupBy()).extracting(Ast.Path::dotted).containsExactly("Name");
        assertThat(s.orderBy()).hasSize(2);
        assertThat(s.orderBy().get(0).descending()).isTrue();
        assertThat(s.orderBy().get(0).nullsFirst()).isFalse();
        assertThat(s.orderBy().get(1).nullsFirst()).isNull();
        assertThat(s.limit()).isEqualTo(10);
        assertThat(s.offset()).isEqualTo(5);
    }

    @Test
    void andOrAndNotNestThroughParentheses() {
        Ast.Cond where = parse("SELECT Id FROM X WHERE NOT A = 1 AND (B = 2 OR C = 3 OR D = 4) AND E IN (1, 2)")
                .where();

        assertThat(where).isInstanceOf(Ast.And.class);
        List<Ast.Cond> parts = ((Ast.And) where).parts();
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0)).isInstanceOf(Ast.Not.class);
        assertThat(((Ast.Or) parts.get(1)).parts()).hasSize(3);
        assertThat(((Ast.InList) parts.get(2)).values()).hasSize(2);
    }

    @Test
    void andAndOrCannotBeMixedWithoutParentheses() {
        assertThatThrownBy(() -> parse("SELECT Id FROM X WHERE A = 1 OR B = 2 AND C = 3"))
                .isInstanceOf(OrgException.class).hasMessageEndingWith("unexpected token: 'AND'");
    }

    @Test
    void literalsHaveTheirJavaValues() {
        assertThat(((Ast.StringLit) where("= 'it\\'s a \\\\ \\n \\%'")).value()).isEqualTo("it's a \\ \n %");
        Ast.Like like = (Ast.Like) parse("SELECT Id FROM X WHERE F LIKE '50\\%'").where();
        assertThat(((Ast.StringLit) like.pattern()).raw()).isEqualTo("50\\%");
        assertThat(((Ast.StringLit) like.pattern()).value()).isEqualTo("50%");
        assertThat(((Ast.NumberLit) where("= -12.50")).value()).isEqualTo(new BigDecimal("-12.50"));
        assertThat(((Ast.NumberLit) where("= +3")).value()).isEqualTo(new BigDecimal("3"));
        assertThat(((Ast.BoolLit) where("= TRUE")).value()).isTrue();
        assertThat(where("= null")).isInstanceOf(Ast.NullLit.class);
        assertThat(((Ast.DateLit) where("= 2024-02-29")).value()).isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(((Ast.DateTimeLit) where("= 2024-02-29T23:30:00-02:00")).value())
                .isEqualTo(Instant.parse("2024-03-01T01:30:00Z"));
        assertThat(((Ast.DateTimeLit) where("= 2024-02-29T23:30:00.123Z")).value())
                .isEqualTo(Instant.parse("2024-02-29T23:30:00.123Z"));
        assertThat(((Ast.TimeLit) where("= 08:15:00Z")).value()).isEqualTo(LocalTime.of(8, 15));
        Ast.RelativeDate relative = (Ast.RelativeDate) where("= last_n_days:30");
        assertThat(relative.name()).isEqualTo("LAST_N_DAYS");
        assertThat(relative.n()).isEqualTo(30);
        assertThat(((Ast.RelativeDate) where("> this_quarter")).name()).isEqualTo("THIS_QUARTER");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "SELECT Id FROM X WHERE F = 2024-01-01T10:00:00  | 1:47 | no viable alternative at character '<EOF>'",
        "SELECT Id FROM X WHERE F = 12abc                | 1:30 | no viable alternative at character 'a'",
        "SELECT Id FROM X WHERE F = TODAY:3              | 1:33 | unexpected token: ':'",
        "SELECT Id FROM X WHERE F = NEXT_N_DAYS:1.5      | 1:40 | unexpected token: '1.5'",
        "SELECT Id FROM X WHERE F = SOMEDAY              | 1:28 | unexpected token: 'SOMEDAY'",
        "SELECT Id FROM X WHERE F ! 1                    | 1:26 | no viable alternative at character '!'",
        "SELECT Id FROM X WHERE F NOT LIKE 'a'           | 1:30 | unexpected token: 'LIKE'",
        "SELECT Id FROM X WHERE (F = 1                   | 1:30 | unexpected token: '<EOF>'",
        "SELECT Id FROM X GROUP Name                     | 1:24 | unexpected token: 'Name'",
        "SELECT Id FROM X ORDER BY Name NULLS NONE       | 1:38 | unexpected token: 'NONE'",
        "SELECT Id FROM X FOR UPDATE                     | 1:22 | unexpected token: 'UPDATE'",
        "SELECT TYPEOF What WHEN Account THEN Name END FROM Task | 1:8 | unexpected token: 'TYPEOF'",
        "SELECT FIELDS(SOME) FROM X                      | 1:15 | unexpected token: 'SOME'",
        "SELECT Id FROM X WHERE F IN ()                  | 1:30 | unexpected token: ')'",
    })
    void errorsPointAtTheOffendingToken(String soql, String position, String message) {
        String[] rowColumn = position.split(":");

        assertThatThrownBy(() -> parse(soql)).isInstanceOfSatisfying(OrgException.class, e -> {
            assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
            assertThat(e.getMessage()).contains("ERROR at Row:" + rowColumn[0] + ":Column:" + rowColumn[1] + "\n")
                    .endsWith(message);
        });
    }

    @Test
    void theCaretSitsUnderTheTokenOnALongLineCutAroundIt() {
        String soql = "SELECT " + "Name, ".repeat(20) + "Id Oops, " + "Name, ".repeat(20) + "Id FROM X";

        assertThatThrownBy(() -> parse(soql)).isInstanceOfSatisfying(OrgException.class, e -> {
            String[] lines = e.getMessage().split("\n");
            assertThat(lines[1].length()).isLessThanOrEqualTo(120);
            assertThat(lines[1].substring(lines[2].indexOf('^'))).startsWith("Oops, Name");
            assertThat(lines[3]).isEqualTo("ERROR at Row:1:Column:" + (soql.indexOf("Oops") + 1));
            assertThat(lines[4]).isEqualTo("unexpected token: 'Oops'");
        });
    }

    @ParameterizedTest(name = "{0} ~ {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "abc      | ABC     | true",
        "abc      | abcd    | false",
        "a%       | A       | true",
        "a%       | bA      | false",
        "%c       | abC     | true",
        "%b%      | ABC     | true",
        "%b%      | ac      | false",
        "a_c      | aXc     | true",
        "a_c      | ac      | false",
        "a%c%e    | abcde   | true",
        "a%c%e    | abcdef  | false",
        "%%       | ''      | true",
        "%        | x       | true",
        "50\\%    | 50%     | true",
        "50\\%    | 500     | false",
        "a\\_b    | a_b     | true",
        "a\\_b    | axb     | false",
        "%a%a%a   | aaa     | true",
        "%a%a%a   | aab     | false",
        "É%       | éclair  | true",
    })
    void likePatternsMatchIgnoringCase(String pattern, String text, boolean matches) {
        assertThat(LikePattern.compile(pattern).matches(text.equals("''") ? "" : text)).isEqualTo(matches);
    }
}
