package dev.sonde.runtime.settings;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations written as {@code 250ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}), and writes the short form. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)");

    private Durations() {
    }

    /** The duration the text names, or null when it names none. */
    public static Duration parse(String text) {
        String trimmed = text.trim();
        Matcher matcher = SHORT.matcher(trimmed);
        if (matcher.matches()) {
            long amount;
            try {
                amount = Long.parseLong(matcher.group(1));
            } catch (NumberFormatException tooLarge) {
                return null;
            }
            switch (matcher.group(2)) {
                case "ns": return Duration.ofNanos(amount);
                case "us": return Duration.ofNanos(amount).multipliedBy(1000);
                case "ms": return Duration.ofMillis(amount);
                case "s": return Duration.ofSeconds(amount);
                case "m": return Duration.ofMinutes(amount);
                case "h": return Duration.ofHours(amount);
                default: return Duration.ofDays(amount);
            }
        }
        try {
            return Duration.parse(trimmed);
        } catch (DateTimeParseException notIso) {
            return null;
        }
    }

    /** The shortest exact short form: {@code 1500ms}, {@code 5s}, {@code 10m}. */
    public static String format(Duration duration) {
        long nanos;
        try {
            nanos = duration.toNanos();
        } catch (ArithmeticException tooLong) {
            return duration.toString();
        }
        if (nanos == 0) {
            return "0s";
        }
        long[] unitNanos = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L, 1_000_000_000L, 1_000_000L, 1_000L, 1L};
        String[] units = {"d", "h", "m", "s", "ms", "us", "ns"};
        for (int i = 0; i < units.length; i++) {
            if (nanos % unitNanos[i] == 0) {
                return nanos / unitNanos[i] + units[i];
            }
        }
        return nanos + "ns";
    }
}
