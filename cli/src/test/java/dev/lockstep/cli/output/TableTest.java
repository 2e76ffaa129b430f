package dev.lockstep.cli.output;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lockstep.cli.output.Style.Tone;
import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void columnsAlignOnTheWidestCellWithTwoSpacesBetweenAndNoTrailingSpaces() {
        Table table = Table.of("OBJECT", "TABLE").row("Account", "salesforce.account").row("Sync_Sample__c", "x");
        assertThat(table.toString()).isEqualTo("""
                OBJECT          TABLE
                Account         salesforce.account
                Sync_Sample__c  x
                """);
    }

    @Test
    void wideCharactersCountTwoColumnsSoLaterColumnsStayAligned() {
        Table table = Table.of("NAME", "N").row("李伟", 1).row("Zoë", 2).row("🚀x", 3);
        assertThat(table.toString()).isEqualTo("""
                NAME  N
                李伟  1
                Zoë   2
                🚀x   3
                """);
    }

    @Test
    void rightAlignedColumnsPadOnTheLeft() {
        Table table = Table.of("OBJECT", "ROWS").alignRight(1).row("Account", 7).row("Contact", 1200);
        assertThat(table.toString()).isEqualTo("""
                OBJECT   ROWS
                Account     7
                Contact  1200
                """);
    }

    @Test
    void missingAndNullCellsAreEmptyAndLineBreaksBecomeSpaces() {
        Table table = Table.of("A", "B", "C").row("x").row(null, "two\nlines", "z");
        assertThat(table.toString()).isEqualTo("""
                A  B          C
                x
                   two lines  z
                """);
    }

    @Test
    void indentStartsEveryLine() {
        assertThat(Table.of("A").row("x").indent("  ").toString()).isEqualTo("  A\n  x\n");
    }

    @Test
    void colourAppliesTonesWithoutChangingAlignment() {
        Table table = Table.of("CONNECTOR", "OUTCOME").row("a", Table.cell(Tone.GOOD, "created")).row("bb", "x");
        String coloured = table.render(Style.colour());
        assertThat(coloured).contains("\u001b[1mCONNECTOR\u001b[0m").contains("\u001b[32mcreated\u001b[0m");
        assertThat(coloured.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(table.render(Style.plain()));
        assertThat(table.render(Style.plain())).doesNotContain("\u001b");
    }

    @Test
    void aRowWiderThanTheTableIsRefused() {
        assertThatThrownBy(() -> Table.of("A").row("x", "y")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 cells in a table of 1 columns");
    }

    @Test
    void colourIsOnlyForATerminal() {
        assertThat(Style.detect(false).coloured()).isFalse();
        assertThat(Style.plain().apply(Tone.BAD, "x")).isEqualTo("x");
    }
}
