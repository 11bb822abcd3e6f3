package dev.sonde.agent.probes;

import java.lang.reflect.Field;
import java.lang.reflect.InaccessibleObjectException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A logpoint's text with {@code {expr}} holes, parsed and resolved once when the probe is set. This slice evaluates
 * local variable names, field paths ({@code this.x}, {@code a.b.c}) and literals; the instrumented code hands over
 * only the roots (locals and {@code this}), and the field paths are followed here for the hits that print.
 */
public final class Template {

    /** Where a value starts: a literal, a local slot or {@code this} handed over by the hit, or a static field. */
    public sealed interface Root permits Literal, Local, This, Static {
    }

    public record Literal(Object value) implements Root {
    }

    public record Local(String name, int index, String descriptor) implements Root {
    }

    public record This() implements Root {
    }

    public record Static(Field field) implements Root {
    }

    /** Either text or a value: {@code root} then {@code fields}, taken from {@code values[slot]} when it has one. */
    record Part(String text, Root root, List<Field> fields, int slot) {
    }

    /** What the probe's line can see: its class, whether the method is static, the locals in scope there. */
    public interface Scope {
        Class<?> type();

        boolean isStatic();

        Optional<Local> local(String name);

        ClassLoader loader();
    }

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z_$0-9]*");
    private static final Pattern PATH = Pattern.compile("[A-Za-z_$][A-Za-z_$0-9]*(\\.[A-Za-z_$][A-Za-z_$0-9]*)*");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?[LlDdFf]?");

    private final List<Part> parts;
    private final List<Root> slots;

    private Template(List<Part> parts, List<Root> slots) {
        this.parts = parts;
        this.slots = slots;
    }

    /** The roots the instrumented code must hand over, in slot order. */
    public List<Root> slots() {
        return slots;
    }

    public static Template compile(String text, Scope scope) {
        List<Part> parts = new ArrayList<>();
        List<Root> slots = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int open = text.indexOf('{', at);
            if (open < 0) {
                parts.add(new Part(text.substring(at), null, List.of(), -1));
                break;
            }
            int close = text.indexOf('}', open);
            if (close < 0) {
                throw new ProbeRefused("The '{' at position " + (open + 1) + " of the text has no '}'; close each {expression}.");
            }
            if (open > at) {
                parts.add(new Part(text.substring(at, open), null, List.of(), -1));
            }
            parts.add(value(text.substring(open + 1, close).strip(), scope, slots));
            at = close + 1;
        }
        return new Template(List.copyOf(parts), List.copyOf(slots));
    }

    private static Part value(String expression, Scope scope, List<Root> slots) {
        Optional<Object> literal = literal(expression);
        if (literal.isPresent()) {
            return new Part(null, new Literal(literal.get()), List.of(), -1);
        }
        if (!PATH.matcher(expression).matches()) {
            throw new ProbeRefused("'" + expression + "' is not a local variable, a field path (a.b.c) or a literal; this agent"
                    + " evaluates only those so far, so log the parts separately.");
        }
        String[] names = expression.split("\\.");
        Root root;
        Class<?> type;
        int next = 1;
        Optional<Local> local = scope.local(names[0]);
        if (names[0].equals("this")) {
            if (scope.isStatic()) {
                throw new ProbeRefused("'" + expression + "' uses 'this', but the line is in a static method; name a local or a static field.");
            }
            root = new This();
            type = scope.type();
        } else if (local.isPresent()) {
            root = local.get();
            type = typeOf(local.get().descriptor(), scope.loader());
        } else {
            Field field = field(scope.type(), names[0]).orElseThrow(() -> new ProbeRefused("'" + names[0]
                    + "' is neither a local variable in scope at this line nor a field of " + scope.type().getName()
                    + "; check the name (a variable declared on this very line is not assigned yet)."));
            if (Modifier.isStatic(field.getModifiers())) {
                root = new Static(field);
            } else if (scope.isStatic()) {
                throw new ProbeRefused("'" + names[0] + "' is an instance field, but the line is in a static method; name a local or a static field.");
            } else {
                root = new This();
                next = 0;
            }
            type = scope.type();
        }
        List<Field> fields = new ArrayList<>();
        if (root instanceof Static s) {
            type = s.field().getType();
        }
        for (int i = next; i < names.length; i++) {
            if (root instanceof Static && i == 0) {
                continue;
            }
            if (type == null || type.isPrimitive()) {
                throw new ProbeRefused("'" + String.join(".", java.util.Arrays.copyOf(names, i)) + "' has no fields, so '" + expression + "' cannot be read.");
            }
            String name = names[i];
            Class<?> owner = type;
            Field field = field(owner, name).orElseThrow(() -> new ProbeRefused(owner.getName() + " has no field '" + name
                    + "', so '" + expression + "' cannot be read; name a field the declared type has."));
            fields.add(field);
            type = field.getType();
        }
        int slot = -1;
        if (root instanceof Local || root instanceof This) {
            slot = slots.indexOf(root);
            if (slot < 0) {
                slots.add(root);
                slot = slots.size() - 1;
            }
        }
        return new Part(null, root, List.copyOf(fields), slot);
    }

    private static Optional<Object> literal(String expression) {
        if (expression.length() >= 2 && expression.startsWith("\"") && expression.endsWith("\"")) {
            return Optional.of(expression.substring(1, expression.length() - 1));
        }
        if (NUMBER.matcher(expression).matches()) {
            return Optional.of(expression.replaceAll("[LlDdFf]$", ""));
        }
        return switch (expression) {
            case "true", "false", "null" -> Optional.of(expression);
            default -> Optional.empty();
        };
    }

    private static Class<?> typeOf(String descriptor, ClassLoader loader) {
        if (descriptor.length() == 1 || descriptor.startsWith("[")) {
            return descriptor.length() == 1 ? int.class : Object[].class;
        }
        String name = descriptor.substring(1, descriptor.length() - 1).replace('/', '.');
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    private static Optional<Field> field(Class<?> type, String name) {
        if (!IDENTIFIER.matcher(name).matches()) {
            return Optional.empty();
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.getName().equals(name)) {
                    try {
                        field.setAccessible(true);
                    } catch (InaccessibleObjectException | SecurityException e) {
                        throw new ProbeRefused("The field " + c.getName() + "." + name + " is in a module that does not open it to the agent;"
                                + " log a value that holds it instead.");
                    }
                    return Optional.of(field);
                }
            }
        }
        return Optional.empty();
    }

    /** The text of one hit; {@code values} holds the slots' values. Field reads that fail show why, in the text. */
    public String render(Object[] values) {
        StringBuilder out = new StringBuilder();
        for (Part part : parts) {
            if (part.text() != null) {
                out.append(part.text());
                continue;
            }
            Object value;
            if (part.root() instanceof Literal l) {
                value = l.value();
            } else if (part.root() instanceof Static s) {
                value = read(s.field(), null);
            } else {
                value = values[part.slot()];
            }
            for (Field field : part.fields()) {
                if (value == null || value instanceof Unreadable) {
                    value = value == null ? new Unreadable("null." + field.getName()) : value;
                    break;
                }
                value = read(field, value);
            }
            out.append(show(value));
        }
        return out.toString();
    }

    private record Unreadable(String why) {
        @Override
        public String toString() {
            return "<" + why + ">";
        }
    }

    private static Object read(Field field, Object target) {
        try {
            return field.get(target);
        } catch (IllegalAccessException | IllegalArgumentException e) {
            return new Unreadable("cannot read " + field.getName());
        }
    }

    /** Values as text without running the application's code: its objects show as type@identity. */
    static String show(Object value) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof Unreadable) {
            return String.valueOf(value);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        if (value.getClass().isArray()) {
            return value.getClass().getComponentType().getName() + "[" + java.lang.reflect.Array.getLength(value) + "]";
        }
        return value.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(value));
    }
}
