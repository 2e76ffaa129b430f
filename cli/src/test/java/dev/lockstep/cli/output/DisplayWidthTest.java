package dev.lockstep.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DisplayWidthTest {

    @Test
    void asciiAndAccentedLettersTakeOneColumnEach() {
        assertThat(DisplayWidth.of("Account")).isEqualTo(7);
        assertThat(DisplayWidth.of("Zoë Ågren")).isEqualTo(9);
    }

    @Test
    void combiningMarksTakeNoColumn() {
        assertThat(DisplayWidth.of("Zoe\u0308")).isEqualTo(3);
    }

    @Test
    void cjkAndEmojiTakeTwoColumns() {
        assertThat(DisplayWidth.of("李伟")).isEqualTo(4);
        assertThat(DisplayWidth.of("🚀")).isEqualTo(2);
        assertThat(DisplayWidth.of("ＡＢ")).as("fullwidth forms").isEqualTo(4);
    }

    @Test
    void joinedEmojiAndEmojiPresentationAreOnePicture() {
        assertThat(DisplayWidth.of("👩\u200D💻")).isEqualTo(2);
        assertThat(DisplayWidth.of("\u2764\uFE0F")).isEqualTo(2);
    }

    @Test
    void controlCharactersTakeNoColumn() {
        assertThat(DisplayWidth.of("a\u0007b")).isEqualTo(2);
    }
}
