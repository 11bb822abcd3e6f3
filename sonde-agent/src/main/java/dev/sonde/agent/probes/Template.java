package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;
import dev.sonde.agent.expr.Failures;
import dev.sonde.agent.expr.Holes;
import dev.sonde.agent.spy.SondeSpy;
import org.objectweb.asm.MethodVisitor;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A logpoint's text with {@code {expr}} holes, each a Java expression parsed and resolved once when the probe is set
 * and compiled into the probed method ({@link Holes}); the hit hands over the holes' values and the text is put
 * together here, only for the hits that print.
 */
public final class Template {

    /** A local variable at the probe's line: its name, slot and type descriptor. */
    public record Local(String name, int index, String descriptor) {
    }

    /** What the probe's line can see: its class, whether the method is static, the locals in scope there. */
    public interface Scope {
        Class<?> type();

        boolean isStatic();

        Optional<Local> local(String name);

        ClassLoader loader();

        /** The names of the locals in scope, for an error that lists them. */
        default List<String> localNames() {
            return List.of();
        }
    }

    /** Either text (and the same escaped for a JSON string) or the index of a hole. */
    private record Part(String text, int hole, String json) {
        Part(String text, int hole) {
            this(text, hole, text == null ? null : escaped(text));
        }

        private static String escaped(String text) {
            StringBuilder out = new StringBuilder(text.length() + 8);
            Json.escape(text, out);
            return out.toString();
        }
    }

    private final List<Part> parts;
    private final Holes holes;
    private final boolean allowInvoke;

    private Template(List<Part> parts, Holes holes, boolean allowInvoke) {
        this.parts = parts;
        this.holes = holes;
        this.allowInvoke = allowInvoke;
    }

    public static Template compile(String text, Scope scope) {
        return compile(text, scope, false);
    }

    /** Without {@code allowInvoke} the holes may call only side-effect-free JDK methods, and objects show as type@identity. */
    public static Template compile(String text, Scope scope, boolean allowInvoke) {
        List<Part> parts = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                parts.add(new Part(text.substring(at), -1));
                break;
            }
            int close = closing(text, open);
            if (close < 0) {
                throw new ProbeRefused("The '{' at position " + (open + 1) + " of the text has no '}'; close each {expression}.");
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), -1));
            }
            parts.add(new Part(null, sources.size()));
            sources.add(text.substring(open + 1, close).strip());
            at = close + 1;
        }
        return new Template(List.copyOf(parts), Holes.compile(sources, scope, allowInvoke), allowInvoke);
    }

    /** The '}' that closes the hole opened at {@code open}, past braces and quotes inside the expression; -1 if none. */
    private static int closing(String text, int open) {
        int depth = 0;
        char quote = 0;
        for (int i = open + 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}' && depth-- == 0) {
                return i;
            }
        }
        return -1;
    }

    /** How many values a hit hands over, one per hole. */
    public int holeCount() {
        return holes.size();
    }

    /** Frees what the spy keeps for the holes; call it once the probe's code is gone from its class. */
    public void release() {
        holes.release();
    }

    /** The errors each hole threw on past hits. */
    public List<Failures> failures() {
        return holes.failures();
    }

    /** Emits the code that leaves the holes' values in an {@code Object[]} on the stack; it uses locals from {@code freeLocal} on. */
    public void emitValues(MethodVisitor method, int freeLocal) {
        holes.emit(method, freeLocal);
    }

    /** The text of one hit, from the holes' values. */
    public String render(Object[] values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.text() != null) {
                out.append(part.text());
            } else {
                Object value = values[part.hole()];
                out.append(allowInvoke || value instanceof Failures.Failed ? String.valueOf(value) : show(value));
            }
        }
        return out.toString();
    }

    /** Appends the text of one hit to {@code out}, escaped as the inside of a JSON string: what {@link #render} gives, quoted. */
    public void renderJson(Object[] values, StringBuilder out) {
        for (Part part : parts) {
            if (part.json() != null) {
                out.append(part.json());
                continue;
            }
            Object value = values[part.hole()];
            if (value instanceof Integer number) {
                out.append(number.intValue());
            } else if (value instanceof Long number) {
                out.append(number.longValue());
            } else if (value instanceof String string) {
                Json.escape(string, out);
            } else {
                Json.escape(allowInvoke || value instanceof Failures.Failed ? String.valueOf(value) : show(value), out);
            }
        }
    }

    /** Values as text without running the application's code: its objects show as type@identity. */
    static String show(Object value) {
        return SondeSpy.show(value);
    }
}
