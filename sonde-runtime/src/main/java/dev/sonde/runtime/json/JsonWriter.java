package dev.sonde.runtime.json;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

/**
 * A small streaming JSON writer: objects, arrays, strings, numbers, booleans and null. Numbers that
 * JSON cannot hold (NaN, infinities) are written as null.
 */
public final class JsonWriter {

    /** Epoch seconds of 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z: years that ISO-8601 writes with four digits and no sign. */
    private static final long FIRST_FOUR_DIGIT_YEAR = -62_135_596_800L;
    private static final long AFTER_FOUR_DIGIT_YEARS = 253_402_300_800L;

    private final StringBuilder out;
    /** Whether the innermost open object or array has no member yet; one entry per nesting level. */
    private boolean[] empty = new boolean[16];
    private int depth;
    private boolean afterName;

    public JsonWriter() {
        this(4096);
    }

    /** @param expectedLength the length the document is expected to reach, so the buffer need not grow */
    public JsonWriter(int expectedLength) {
        out = new StringBuilder(Math.max(16, expectedLength));
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        push();
        return this;
    }

    public JsonWriter endObject() {
        depth--;
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        push();
        return this;
    }

    public JsonWriter endArray() {
        depth--;
        out.append(']');
        return this;
    }

    public JsonWriter name(String name) {
        separate();
        string(name);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String value) {
        separate();
        if (value == null) {
            out.append("null");
        } else {
            string(value);
        }
        return this;
    }

    /** An instant as {@link Instant#toString()} writes it (ISO-8601 in UTC), without a formatter for years 1 to 9999. */
    public JsonWriter value(Instant value) {
        if (value == null) {
            return nullValue();
        }
        separate();
        long seconds = value.getEpochSecond();
        if (seconds < FIRST_FOUR_DIGIT_YEAR || seconds >= AFTER_FOUR_DIGIT_YEARS) {
            string(value.toString());
            return this;
        }
        LocalDateTime time = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        out.append('"');
        digits(time.getYear(), 4).append('-');
        digits(time.getMonthValue(), 2).append('-');
        digits(time.getDayOfMonth(), 2).append('T');
        digits(time.getHour(), 2).append(':');
        digits(time.getMinute(), 2).append(':');
        digits(time.getSecond(), 2);
        int nanos = value.getNano();
        if (nanos > 0) {
            // As ISO_INSTANT: the fraction in groups of three digits, as many groups as it needs.
            out.append('.');
            if (nanos % 1_000_000 == 0) {
                digits(nanos / 1_000_000, 3);
            } else if (nanos % 1000 == 0) {
                digits(nanos / 1000, 6);
            } else {
                digits(nanos, 9);
            }
        }
        out.append("Z\"");
        return this;
    }

    public JsonWriter value(long value) {
        separate();
        out.append(value);
        return this;
    }

    public JsonWriter value(double value) {
        separate();
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            out.append("null");
        } else {
            out.append(value);
        }
        return this;
    }

    public JsonWriter value(boolean value) {
        separate();
        out.append(value);
        return this;
    }

    /** Writes a value that is already JSON text (an array or object made by another writer), as it is. */
    public JsonWriter rawValue(String json) {
        separate();
        out.append(json);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    public JsonWriter field(String name, String value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, Instant value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, long value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, double value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, boolean value) {
        return name(name).value(value);
    }

    public JsonWriter field(String name, List<String> values) {
        name(name).beginArray();
        for (String value : values) {
            value(value);
        }
        return endArray();
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void push() {
        if (depth == empty.length) {
            empty = Arrays.copyOf(empty, depth * 2);
        }
        empty[depth++] = true;
    }

    /** Writes the comma before a member unless it is the first, or the value of a name just written. */
    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        if (depth > 0) {
            if (!empty[depth - 1]) {
                out.append(',');
            }
            empty[depth - 1] = false;
        }
    }

    private void string(String text) {
        out.append('"');
        int length = text.length();
        int plain = 0;
        while (plain < length && !needsEscape(text.charAt(plain))) {
            plain++;
        }
        // Most texts need no escape at all: they are copied whole rather than a character at a time.
        out.append(text, 0, plain);
        for (int i = plain; i < length; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                default:
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
            }
        }
        out.append('"');
    }

    /** Appends a non-negative number zero-padded to {@code width} digits. */
    private StringBuilder digits(int value, int width) {
        for (int bound = 10, digits = 1; digits < width; bound *= 10, digits++) {
            if (value < bound) {
                out.append('0');
            }
        }
        return out.append(value);
    }

    private static boolean needsEscape(char c) {
        return c < 0x20 || c == '"' || c == '\\' || c == '\u2028' || c == '\u2029';
    }
}
