package dev.lockstep.cli.commands;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration option as people write it: {@code 90s}, {@code 5m}, {@code 24h}, {@code 2d}, {@code 500ms}, or
 * ISO-8601 ({@code PT1M30S}); a bare number is seconds.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                default -> Duration.ofSeconds(n);
            };
        }
        try {
            Duration d = Duration.parse(value.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new TypeConversionException("'" + value + "' is negative; give a duration such as 90s or 5m");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write it as 500ms, 90s, 5m, 24h,"
                    + " 2d or PT1M30S");
        }
    }
}
