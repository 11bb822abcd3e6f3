package dev.sonde.core.model;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A value read from the target, already in Sonde's model: renderers never talk to the target.
 * Reference values carry a {@link #ref()} handle that a session can expand later.
 */
public sealed interface Value
        permits Value.Null, Value.Primitive, Value.Text, Value.ObjectRef, Value.ArrayRef,
                Value.CollectionRef, Value.MapRef, Value.Unavailable {

    /** The runtime type name ({@code int}, {@code java.lang.String}, {@code com.acme.Order[]}). */
    String type();

    /** A one-line rendering, Java-flavoured: strings quoted and escaped, chars in single quotes. */
    String render();

    /** A handle to expand this value later; 0 when it has no children to show. */
    default long ref() {
        return 0L;
    }

    record Null(String type) implements Value {
        @Override
        public String render() {
            // Python's null has a name of its own.
            return "NoneType".equals(type) ? "None" : "null";
        }
    }

    /** A primitive: {@code value} is the boxed Java value ({@link Integer}, {@link Character}, ...). */
    record Primitive(String type, Object value) implements Value {
        @Override
        public String render() {
            if (value instanceof Character c) {
                return "'" + Rendering.escape(String.valueOf(c), '\'') + "'";
            }
            return String.valueOf(value);
        }
    }

    /**
     * A string. {@code text} may be cut to the configured maximum; {@code length} is the real length.
     */
    record Text(String type, long ref, String text, int length) implements Value {
        public boolean truncated() {
            return text.length() < length;
        }

        @Override
        public String render() {
            String quoted = "\"" + Rendering.escape(text, '"') + "\"";
            return truncated() ? quoted + "...(" + length + " chars)" : quoted;
        }

        @Override
        public long ref() {
            return 0L;
        }
    }

    /**
     * An object. {@code summary} is what identifies it without running code in the target
     * ({@code 42} for a boxed Integer, {@code PAID} for an enum constant, {@code Order@61} otherwise);
     * {@code fields} is null until the object is expanded.
     */
    record ObjectRef(String type, long ref, String summary, List<Variable> fields) implements Value {
        @Override
        public String render() {
            if (fields == null || fields.isEmpty()) {
                return summary;
            }
            return summary + " {" + fields.stream()
                    .map(f -> f.name() + "=" + f.value().render())
                    .collect(Collectors.joining(", ")) + "}";
        }
    }

    /** An array with its length and its first elements (possibly all of them). */
    record ArrayRef(String type, long ref, int length, List<Value> elements) implements Value {
        @Override
        public String render() {
            String componentType = type.endsWith("[]") ? type.substring(0, type.length() - 2) : type;
            return Rendering.simpleName(componentType) + "[" + length + "] " + Rendering.listOf(elements, length, "{", "}");
        }
    }

    /** A JDK collection summarised from its internals: size and first elements. */
    record CollectionRef(String type, long ref, int size, List<Value> elements) implements Value {
        @Override
        public String render() {
            return Rendering.simpleName(type) + "(size=" + size + ") " + Rendering.listOf(elements, size, "[", "]");
        }
    }

    /** A JDK map summarised from its internals: size and first entries. */
    record MapRef(String type, long ref, int size, List<Entry> entries) implements Value {
        public record Entry(Value key, Value value) {
        }

        @Override
        public String render() {
            StringBuilder out = new StringBuilder(Rendering.simpleName(type)).append("(size=").append(size).append(") {");
            for (int i = 0; i < entries.size(); i++) {
                if (i > 0) {
                    out.append(", ");
                }
                out.append(entries.get(i).key().render()).append('=').append(entries.get(i).value().render());
            }
            if (entries.size() < size) {
                out.append(entries.isEmpty() ? "..." : ", ...");
            }
            return out.append('}').toString();
        }
    }

    /** A value that could not be read, with the reason. */
    record Unavailable(String type, String reason) implements Value {
        @Override
        public String render() {
            return "<" + reason + ">";
        }
    }
}
