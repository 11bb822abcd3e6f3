package dev.sonde.agent.channel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent's JSON: requests are flat objects (string, number, boolean, null values), answers and events are
 * objects that may hold arrays of objects. Small on purpose: the agent carries no JSON library.
 */
public final class Json {

    private Json() {
    }

    /** One JSON object being written; {@link #toString} is its text on one line. */
    public static final class Obj {
        private final StringBuilder text;

        public Obj() {
            text = new StringBuilder(64).append('{');
        }

        private Obj(CharSequence opened, int spare) {
            text = new StringBuilder(opened.length() + spare).append(opened);
        }

        /**
         * An object whose first members are already written: {@code opened} is its text from the '{' up to the last
         * value, without the closing '}'. For the hot paths that render an event once into a reused buffer.
         */
        public static Obj opened(CharSequence opened) {
            return new Obj(opened, 32);
        }

        public Obj put(String key, Object value) {
            if (text.length() > 1) {
                text.append(',');
            }
            quote(key, text);
            text.append(':');
            value(value, text);
            return this;
        }

        /** The length of {@link #toString}, without building it: for size caps. */
        public int length() {
            return text.length() + 1;
        }

        @Override
        public String toString() {
            return new StringBuilder(text.length() + 1).append(text).append('}').toString();
        }
    }

    private static void value(Object value, StringBuilder out) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Obj obj) {
            out.append(obj);
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                value(list.get(i), out);
            }
            out.append(']');
        } else {
            quote(value.toString(), out);
        }
    }

    private static void quote(String s, StringBuilder out) {
        out.append('"');
        escape(s, out);
        out.append('"');
    }

    /** Appends {@code s} escaped as the inside of a JSON string: runs of plain characters are copied whole. */
    public static void escape(CharSequence s, StringBuilder out) {
        int length = s.length();
        int plain = 0;
        for (int i = 0; i < length; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            if (i > plain) {
                out.append(s, plain, i);
            }
            plain = i + 1;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> out.append(String.format("\\u%04x", (int) c));
            }
        }
        if (plain == 0) {
            out.append(s);
        } else if (plain < length) {
            out.append(s, plain, length);
        }
    }

    /** Reads a flat object: values are String, Long, Double, Boolean or null. */
    public static Map<String, Object> parseFlat(String text) {
        Reader reader = new Reader(text);
        return reader.object();
    }

    private static final class Reader {
        private final String s;
        private int at;

        Reader(String s) {
            this.s = s;
        }

        Map<String, Object> object() {
            Map<String, Object> map = new LinkedHashMap<>();
            expect('{');
            if (peek() == '}') {
                at++;
                return map;
            }
            while (true) {
                String key = string();
                expect(':');
                map.put(key, value());
                char next = next();
                if (next == '}') {
                    return map;
                }
                if (next != ',') {
                    throw new IllegalArgumentException("expected , or } at " + at);
                }
            }
        }

        private Object value() {
            char c = peek();
            if (c == '"') {
                return string();
            }
            int start = at;
            while (at < s.length() && ",}] \t".indexOf(s.charAt(at)) < 0) {
                at++;
            }
            String word = s.substring(start, at);
            switch (word) {
                case "true":
                    return Boolean.TRUE;
                case "false":
                    return Boolean.FALSE;
                case "null":
                    return null;
                default:
                    try {
                        return word.contains(".") || word.contains("e") || word.contains("E") ? (Object) Double.parseDouble(word) : (Object) Long.parseLong(word);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("not a flat JSON value at " + start + ": " + word);
                    }
            }
        }

        private String string() {
            expect('"');
            StringBuilder out = new StringBuilder();
            while (true) {
                if (at >= s.length()) {
                    throw new IllegalArgumentException("unterminated string");
                }
                char c = s.charAt(at++);
                if (c == '"') {
                    return out.toString();
                }
                if (c == '\\') {
                    char e = s.charAt(at++);
                    switch (e) {
                        case 'n' -> out.append('\n');
                        case 'r' -> out.append('\r');
                        case 't' -> out.append('\t');
                        case 'b' -> out.append('\b');
                        case 'f' -> out.append('\f');
                        case 'u' -> {
                            out.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                            at += 4;
                        }
                        default -> out.append(e);
                    }
                } else {
                    out.append(c);
                }
            }
        }

        private void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException("expected " + c + " at " + at);
            }
        }

        private char next() {
            char c = peek();
            at++;
            return c;
        }

        private char peek() {
            while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
                at++;
            }
            if (at >= s.length()) {
                throw new IllegalArgumentException("unexpected end of JSON");
            }
            return s.charAt(at);
        }
    }
}
