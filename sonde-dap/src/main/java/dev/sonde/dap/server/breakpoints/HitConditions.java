package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.error.SondeException;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a DAP hit condition: {@code N} (the Nth hit only, as Java debuggers count), {@code == N}, {@code >= N},
 * {@code > N}, {@code % N} (every Nth hit), or Sonde's own {@code hits N}, {@code every N}, {@code after N}.
 */
public final class HitConditions {

    private static final Pattern FORM = Pattern.compile("(==|>=|>|%|hits|every|after)?\\s*(\\d{1,18})");

    private HitConditions() {
    }

    /** The hit condition, or null for a blank one (every hit counts). */
    public static HitCondition parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        Matcher form = FORM.matcher(text.strip().toLowerCase(Locale.ROOT));
        if (!form.matches()) {
            throw SondeException.invalidInput("Cannot read hit condition '" + text.strip()
                    + "'; write N (the Nth hit), >= N, > N, % N (every Nth), or hits N, every N, after N.");
        }
        long count = Long.parseLong(form.group(2));
        String operator = form.group(1) == null ? "==" : form.group(1);
        return switch (operator) {
            case "==", "hits" -> new HitCondition(HitCondition.Kind.HITS, count);
            case ">=" -> new HitCondition(HitCondition.Kind.AFTER, Math.max(0, count - 1));
            case ">", "after" -> new HitCondition(HitCondition.Kind.AFTER, count);
            default -> new HitCondition(HitCondition.Kind.EVERY, count);
        };
    }
}
