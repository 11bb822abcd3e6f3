package dev.sonde.dap.client.values;

import java.util.Optional;

/** Reads the Python literals that debugpy shows values as: {@code 'it\'s'}, {@code "a\nb"}, {@code 42}. */
public final class PythonLiterals {

    private PythonLiterals() {
    }

    /**
     * The text of a Python string literal as {@code repr} writes it, or empty when {@code literal} is not one whole
     * string literal (debugpy cuts very long values short).
     */
    public static Optional<String> string(String literal) {
        if (literal == null || literal.length() < 2) {
            return Optional.empty();
        }
        char quote = literal.charAt(0);
        if ((quote != '\'' && quote != '"') || literal.charAt(literal.length() - 1) != quote) {
            return Optional.empty();
        }
        StringBuilder text = new StringBuilder(literal.length());
        int end = literal.length() - 1;
        int i = 1;
        while (i < end) {
            char c = literal.charAt(i);
            if (c == quote) {
                return Optional.empty();
            }
            if (c != '\\') {
                text.append(c);
                i++;
                continue;
            }
            if (i + 1 >= end) {
                return Optional.empty();
            }
            char escaped = literal.charAt(i + 1);
            i += 2;
            switch (escaped) {
                case 'n' -> text.append('\n');
                case 'r' -> text.append('\r');
                case 't' -> text.append('\t');
                case 'b' -> text.append('\b');
                case 'f' -> text.append('\f');
                case 'v' -> text.append('\u000b');
                case 'a' -> text.append('\u0007');
                case '0' -> text.append('\0');
                case '\\', '\'', '"' -> text.append(escaped);
                case 'x', 'u', 'U' -> {
                    int digits = escaped == 'x' ? 2 : escaped == 'u' ? 4 : 8;
                    if (i + digits > end) {
                        return Optional.empty();
                    }
                    try {
                        text.appendCodePoint(Integer.parseInt(literal.substring(i, i + digits), 16));
                    } catch (IllegalArgumentException e) {
                        return Optional.empty();
                    }
                    i += digits;
                }
                default -> text.append('\\').append(escaped);
            }
        }
        return Optional.of(text.toString());
    }

    /** Whether {@code text} is a Python int literal as {@code repr} writes it. */
    public static boolean isInt(String text) {
        return text != null && text.matches("-?\\d+");
    }

    /** Whether {@code text} is a Python float as {@code repr} writes it, {@code inf} and {@code nan} included. */
    public static boolean isFloat(String text) {
        return text != null && text.matches("-?(\\d+\\.\\d*(e[+-]?\\d+)?|\\d+e[+-]?\\d+|inf|nan)");
    }
}
