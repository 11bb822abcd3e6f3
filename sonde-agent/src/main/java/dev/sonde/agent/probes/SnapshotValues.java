package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values as the JDWP snapshot shows them ({@code value}, {@code valueType}, {@code fields}), read without running
 * any application code: fields by reflection; strings, boxes, enums, records, arrays and the JDK's own collections
 * by their known shape. Strings, element lists and depth are cut at the limits, and a cut value says so
 * ({@code "truncated": true}).
 */
final class SnapshotValues {

    /** What one snapshot may hold: its bytes, the characters of a string, the elements of a container, field depth. */
    record Limits(int bytes, int stringChars, int elements, int depth) {
        static final Limits DEFAULT = new Limits(64 * 1024, 256, 20, 2);
    }

    private static final Set<String> BOXES = Set.of("java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte",
            "java.lang.Double", "java.lang.Float", "java.lang.Boolean");
    private static final Set<String> PRIMITIVES = Set.of("int", "long", "short", "byte", "char", "boolean", "float", "double");
    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    private final Limits limits;

    SnapshotValues(Limits limits) {
        this.limits = limits;
    }

    /** One variable: {@code name}, the value, {@code kind}, and {@code fields} for an object read {@code depth} deep. */
    Json.Obj variable(String name, Object value, String declaredType, String kind) {
        StringBuilder out = new StringBuilder(128);
        write(out, name, value, declaredType, kind);
        out.setLength(out.length() - 1);
        return Json.Obj.opened(out);
    }

    /**
     * The same variable written as a JSON object onto {@code out}, members in the order {@link #variable} puts them,
     * so that a snapshot renders into one reused buffer instead of a {@link Json.Obj} per value.
     */
    void write(StringBuilder out, String name, Object value, String declaredType, String kind) {
        write(out, name, value, declaredType, kind, limits.depth());
    }

    private void write(StringBuilder out, String name, Object value, String declaredType, String kind, int depth) {
        out.append("{\"name\":\"");
        Json.escape(name, out);
        out.append("\",\"value\":\"");
        boolean cut = false;
        if (value instanceof Integer number) {
            out.append(number.intValue());
        } else if (value instanceof Long number) {
            out.append(number.longValue());
        } else {
            boolean[] cutBox = new boolean[1];
            Json.escape(render(value, depth, cutBox), out);
            cut = cutBox[0];
        }
        out.append("\",\"valueType\":\"");
        Json.escape(value == null || PRIMITIVES.contains(declaredType) ? declaredType : typeName(value.getClass()), out);
        out.append("\",\"kind\":\"");
        Json.escape(kind, out);
        out.append('"');
        if (value != null && depth > 0 && plainObject(value)) {
            out.append(",\"fields\":[");
            boolean first = true;
            for (Field field : fields(value.getClass())) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                Object fieldValue;
                try {
                    fieldValue = field.get(value);
                } catch (IllegalAccessException | RuntimeException e) {
                    out.append("{\"name\":\"");
                    Json.escape(field.getName(), out);
                    out.append("\",\"value\":\"<not readable>\",\"valueType\":\"");
                    Json.escape(typeName(field.getType()), out);
                    out.append("\",\"kind\":\"field\"}");
                    continue;
                }
                write(out, field.getName(), fieldValue, typeName(field.getType()), "field", depth - 1);
            }
            out.append(']');
        } else if (value != null && depth <= 0 && plainObject(value) && !fields(value.getClass()).isEmpty()) {
            cut = true;
        }
        if (cut) {
            out.append(",\"truncated\":true");
        }
        out.append('}');
    }

    /** The value alone ({@code value} and {@code valueType}), as a watch or a return value shows it. */
    Json.Obj value(Object value, String declaredType, Json.Obj into) {
        boolean[] cut = new boolean[1];
        into.put("value", render(value, limits.depth(), cut)).put("valueType", value == null ? declaredType : typeName(value.getClass()));
        if (cut[0]) {
            into.put("truncated", true);
        }
        return into;
    }

    /** A one-line rendering, as {@code dev.sonde.core.model.Value#render} writes it for the same value. */
    String render(Object value, int depth, boolean[] cut) {
        if (value == null) {
            return "null";
        }
        Class<?> type = value.getClass();
        if (value instanceof String s) {
            String shown = s.length() > limits.stringChars() ? s.substring(0, limits.stringChars()) : s;
            if (shown.length() < s.length()) {
                cut[0] = true;
                return "\"" + escape(shown, '"') + "\"...(" + s.length() + " chars)";
            }
            return "\"" + escape(shown, '"') + "\"";
        }
        if (value instanceof Character c) {
            return "'" + escape(String.valueOf(c), '\'') + "'";
        }
        if (BOXES.contains(type.getName())) {
            return String.valueOf(value);
        }
        if (value instanceof Enum<?> e) {
            return simpleName(e.getDeclaringClass().getName()) + "." + e.name();
        }
        if (type.isArray()) {
            int length = Array.getLength(value);
            List<String> shown = new ArrayList<>();
            if (depth >= -1) {
                for (int i = 0; i < Math.min(length, limits.elements()); i++) {
                    shown.add(render(Array.get(value, i), depth - 1, cut));
                }
            }
            cut[0] |= shown.size() < length;
            String component = typeName(type.getComponentType());
            return simpleName(component) + "[" + length + "] " + list(shown, length, "{", "}");
        }
        if (jdkCollection(type)) {
            return container(value, depth, cut);
        }
        if (type.isRecord() && !type.getModule().isNamed()) {
            return record(value, cut);
        }
        return simpleName(type.getName()) + "@" + Integer.toHexString(System.identityHashCode(value));
    }

    private String container(Object value, int depth, boolean[] cut) {
        String name = simpleName(value.getClass().getName());
        List<String> shown = new ArrayList<>();
        int size;
        try {
            if (value instanceof Map<?, ?> map) {
                size = map.size();
                if (depth >= -1) {
                    for (Map.Entry<?, ?> entry : map.entrySet()) {
                        if (shown.size() >= limits.elements()) {
                            break;
                        }
                        shown.add(render(entry.getKey(), depth - 1, cut) + "=" + render(entry.getValue(), depth - 1, cut));
                    }
                }
            } else {
                Collection<?> collection = (Collection<?>) value;
                size = collection.size();
                if (depth >= -1) {
                    for (Object element : collection) {
                        if (shown.size() >= limits.elements()) {
                            break;
                        }
                        shown.add(render(element, depth - 1, cut));
                    }
                }
            }
        } catch (RuntimeException e) {
            // changed by another thread while it was read
            cut[0] = true;
            return name + " <changing: " + e.getClass().getSimpleName() + ">";
        }
        cut[0] |= shown.size() < size;
        return name + "(size=" + size + ") " + list(shown, size, value instanceof Map ? "{" : "[", value instanceof Map ? "}" : "]");
    }

    private String record(Object value, boolean[] cut) {
        String name = simpleName(value.getClass().getName());
        StringBuilder out = new StringBuilder(name.substring(name.lastIndexOf('$') + 1)).append('[');
        List<Field> components = fields(value.getClass());
        for (int i = 0; i < components.size(); i++) {
            Object component;
            try {
                component = components.get(i).get(value);
            } catch (IllegalAccessException | RuntimeException e) {
                component = "<not readable>";
            }
            String shown = component != null && component.getClass().isRecord()
                    ? simpleName(component.getClass().getName()) + "@" + Integer.toHexString(System.identityHashCode(component))
                    : render(component, 0, cut);
            out.append(i == 0 ? "" : ", ").append(components.get(i).getName()).append('=').append(shown);
        }
        return out.append(']').toString();
    }

    /** An object shown with its fields: not a string, box, enum, array, record or JDK container, and readable. */
    private static boolean plainObject(Object value) {
        Class<?> type = value.getClass();
        return !(value instanceof String || value instanceof Character || value instanceof Enum<?> || type.isArray() || type.isRecord()
                || BOXES.contains(type.getName()) || jdkCollection(type) || type.getModule().isNamed());
    }

    /** A collection or map of the JDK's own: reading it runs no application code. */
    private static boolean jdkCollection(Class<?> type) {
        return type.getClassLoader() == null && (Collection.class.isAssignableFrom(type) || Map.class.isAssignableFrom(type));
    }

    /** The instance fields of a class of the application, made readable once. */
    private static List<Field> fields(Class<?> type) {
        return FIELDS.computeIfAbsent(type, t -> {
            List<Field> fields = new ArrayList<>();
            List<Class<?>> chain = new ArrayList<>();
            for (Class<?> c = t; c != null && c != Object.class && !c.getModule().isNamed(); c = c.getSuperclass()) {
                chain.add(0, c);
            }
            for (Class<?> c : chain) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers()) && !field.isSynthetic()) {
                        try {
                            field.setAccessible(true);
                            fields.add(field);
                        } catch (RuntimeException e) {
                            // left out: its module does not open it
                        }
                    }
                }
            }
            return List.copyOf(fields);
        });
    }

    static String typeName(Class<?> type) {
        return type.isArray() ? typeName(type.getComponentType()) + "[]" : type.getName();
    }

    static String simpleName(String typeName) {
        int hidden = typeName.indexOf('/');
        String name = hidden > 0 ? typeName.substring(0, hidden) : typeName;
        return name.substring(name.lastIndexOf('.') + 1);
    }

    private static String list(List<String> shown, int total, String open, String close) {
        StringBuilder out = new StringBuilder(open);
        for (int i = 0; i < shown.size(); i++) {
            out.append(i > 0 ? ", " : "").append(shown.get(i));
        }
        if (shown.size() < total) {
            out.append(shown.isEmpty() ? "..." : ", ...");
        }
        return out.append(close).toString();
    }

    static String escape(String text, char quote) {
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
}
