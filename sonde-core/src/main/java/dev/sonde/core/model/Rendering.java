package dev.sonde.core.model;

import java.util.List;

/** Small helpers shared by the value renderings. */
public final class Rendering {

    private Rendering() {
    }

    /** Escapes a string the way Java source would write it inside the given quote character. */
    public static String escape(String text, char quote) {
        StringBuilder out = new StringBuilder(text.length() + 8);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\0' -> out.append("\\0");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c == quote) {
                        out.append('\\').append(c);
                    } else if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * {@code java.util.ArrayList} → {@code ArrayList}; {@code a.B$C} → {@code B$C}; a hidden class such as a lambda's,
     * {@code a.B$$Lambda/0x0000000031085450}, → {@code B$$Lambda} (its address helps nobody).
     */
    public static String simpleName(String typeName) {
        int hidden = typeName.indexOf('/');
        String name = hidden > 0 ? typeName.substring(0, hidden) : typeName;
        int lastDot = name.lastIndexOf('.');
        return lastDot < 0 ? name : name.substring(lastDot + 1);
    }

    static String listOf(List<Value> shown, int total, String open, String close) {
        StringBuilder out = new StringBuilder(open);
        for (int i = 0; i < shown.size(); i++) {
            if (i > 0) {
                out.append(", ");
            }
            out.append(shown.get(i).render());
        }
        if (shown.size() < total) {
            out.append(shown.isEmpty() ? "..." : ", ...");
        }
        return out.append(close).toString();
    }
}
