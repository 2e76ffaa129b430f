package dev.lockstep.emulator.query;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * SOQL's relative date literals ({@code TODAY}, {@code LAST_N_DAYS:30}, {@code THIS_QUARTER}, ...), each a range of
 * whole days {@code [start, end)} computed from the org's current date. The org runs in GMT with the en_US
 * locale, so weeks start on Sunday, and its fiscal year is the calendar year (Salesforce's default), which makes
 * the fiscal literals the same as the calendar ones.
 */
final class RelativeDates {

    /** The days a literal covers: {@code start} inclusive, {@code end} exclusive. */
    record Range(LocalDate start, LocalDate end) {}

    private record Spec(boolean takesN, BiFunction<LocalDate, Integer, Range> range) {}

    private static final Map<String, Spec> SPECS = Map.ofEntries(
            fixed("YESTERDAY", t -> days(t.minusDays(1), 1)),
            fixed("TODAY", t -> days(t, 1)),
            fixed("TOMORROW", t -> days(t.plusDays(1), 1)),
            fixed("LAST_WEEK", t -> days(week(t).minusWeeks(1), 7)),
            fixed("THIS_WEEK", t -> days(week(t), 7)),
            fixed("NEXT_WEEK", t -> days(week(t).plusWeeks(1), 7)),
            fixed("LAST_MONTH", t -> months(month(t).minusMonths(1), 1)),
            fixed("THIS_MONTH", t -> months(month(t), 1)),
            fixed("NEXT_MONTH", t -> months(month(t).plusMonths(1), 1)),
            fixed("LAST_90_DAYS", t -> new Range(t.minusDays(90), t.plusDays(1))),
            fixed("NEXT_90_DAYS", t -> days(t.plusDays(1), 90)),
            counted("LAST_N_DAYS", (t, n) -> new Range(t.minusDays(n), t.plusDays(1))),
            counted("NEXT_N_DAYS", (t, n) -> days(t.plusDays(1), n)),
            counted("N_DAYS_AGO", (t, n) -> days(t.minusDays(n), 1)),
            counted("LAST_N_WEEKS", (t, n) -> new Range(week(t).minusWeeks(n), week(t))),
            counted("NEXT_N_WEEKS", (t, n) -> days(week(t).plusWeeks(1), 7 * n)),
            counted("N_WEEKS_AGO", (t, n) -> days(week(t).minusWeeks(n), 7)),
            counted("LAST_N_MONTHS", (t, n) -> new Range(month(t).minusMonths(n), month(t))),
            counted("NEXT_N_MONTHS", (t, n) -> months(month(t).plusMonths(1), n)),
            counted("N_MONTHS_AGO", (t, n) -> months(month(t).minusMonths(n), 1)),
            fixed("THIS_QUARTER", t -> months(quarter(t), 3)),
            fixed("LAST_QUARTER", t -> months(quarter(t).minusMonths(3), 3)),
            fixed("NEXT_QUARTER", t -> months(quarter(t).plusMonths(3), 3)),
            counted("LAST_N_QUARTERS", (t, n) -> new Range(quarter(t).minusMonths(3L * n), quarter(t))),
            counted("NEXT_N_QUARTERS", (t, n) -> months(quarter(t).plusMonths(3), 3 * n)),
            counted("N_QUARTERS_AGO", (t, n) -> months(quarter(t).minusMonths(3L * n), 3)),
            fixed("THIS_YEAR", t -> months(year(t), 12)),
            fixed("LAST_YEAR", t -> months(year(t).minusYears(1), 12)),
            fixed("NEXT_YEAR", t -> months(year(t).plusYears(1), 12)),
            counted("LAST_N_YEARS", (t, n) -> new Range(year(t).minusYears(n), year(t))),
            counted("NEXT_N_YEARS", (t, n) -> months(year(t).plusYears(1), 12 * n)),
            counted("N_YEARS_AGO", (t, n) -> months(year(t).minusYears(n), 12)),
            fixed("THIS_FISCAL_QUARTER", t -> months(quarter(t), 3)),
            fixed("LAST_FISCAL_QUARTER", t -> months(quarter(t).minusMonths(3), 3)),
            fixed("NEXT_FISCAL_QUARTER", t -> months(quarter(t).plusMonths(3), 3)),
            counted("LAST_N_FISCAL_QUARTERS", (t, n) -> new Range(quarter(t).minusMonths(3L * n), quarter(t))),
            counted("NEXT_N_FISCAL_QUARTERS", (t, n) -> months(quarter(t).plusMonths(3), 3 * n)),
            counted("N_FISCAL_QUARTERS_AGO", (t, n) -> months(quarter(t).minusMonths(3L * n), 3)),
            fixed("THIS_FISCAL_YEAR", t -> months(year(t), 12)),
            fixed("LAST_FISCAL_YEAR", t -> months(year(t).minusYears(1), 12)),
            fixed("NEXT_FISCAL_YEAR", t -> months(year(t).plusYears(1), 12)),
            counted("LAST_N_FISCAL_YEARS", (t, n) -> new Range(year(t).minusYears(n), year(t))),
            counted("NEXT_N_FISCAL_YEARS", (t, n) -> months(year(t).plusYears(1), 12 * n)),
            counted("N_FISCAL_YEARS_AGO", (t, n) -> months(year(t).minusYears(n), 12)));

    private RelativeDates() {}

    /** Whether {@code name} is a relative date literal; null if it is not one at all. */
    static Boolean takesN(String name) {
        Spec spec = SPECS.get(name.toUpperCase(Locale.ROOT));
        return spec == null ? null : spec.takesN();
    }

    /** The days {@code name} (with {@code n} for the {@code _N_} forms) covers when today is {@code today}. */
    static Range range(String name, int n, LocalDate today) {
        return SPECS.get(name.toUpperCase(Locale.ROOT)).range().apply(today, n);
    }

    private static Map.Entry<String, Spec> fixed(String name, java.util.function.Function<LocalDate, Range> f) {
        return Map.entry(name, new Spec(false, (t, n) -> f.apply(t)));
    }

    private static Map.Entry<String, Spec> counted(String name, BiFunction<LocalDate, Integer, Range> f) {
        return Map.entry(name, new Spec(true, f));
    }

    private static Range days(LocalDate start, long count) {
        return new Range(start, start.plusDays(count));
    }

    private static Range months(LocalDate start, long count) {
        return new Range(start, start.plusMonths(count));
    }

    private static LocalDate week(LocalDate t) {
        return t.with(TemporalAdjusters.previousOrSame(DayOfWeek.SUNDAY));
    }

    private static LocalDate month(LocalDate t) {
        return t.withDayOfMonth(1);
    }

    private static LocalDate quarter(LocalDate t) {
        return LocalDate.of(t.getYear(), ((t.getMonthValue() - 1) / 3) * 3 + 1, 1);
    }

    private static LocalDate year(LocalDate t) {
        return LocalDate.of(t.getYear(), 1, 1);
    }
}
