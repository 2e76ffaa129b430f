package dev.lockstep.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void durationsAreReadAsPeopleWriteThem() {
        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("90")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(converter.convert("24h")).isEqualTo(Duration.ofHours(24));
        assertThat(converter.convert("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(converter.convert("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(converter.convert("0")).isZero();
    }

    @Test
    void anythingElseIsRefusedWithTheFormsThatWork() {
        assertThatThrownBy(() -> converter.convert("five minutes")).isInstanceOf(TypeConversionException.class)
                .hasMessageContaining("500ms, 90s, 5m, 24h, 2d or PT1M30S");
        assertThatThrownBy(() -> converter.convert("-PT1S")).hasMessageContaining("negative");
    }
}
