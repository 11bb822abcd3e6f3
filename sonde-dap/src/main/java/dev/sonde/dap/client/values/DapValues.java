package dev.sonde.dap.client.values;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * DAP variables in Sonde's model. A DAP server shows every value as text ({@code repr} for debugpy) with a type name
 * and a {@code variablesReference} to expand it; Sonde keeps that reference as the value's {@link Value#ref()}.
 *
 * <ul>
 *     <li>{@code int}, {@code float}, {@code complex}, {@code bool}: {@link Value.Primitive} whose value is Python's own
 *     text, so it renders as Python writes it ({@code True}, {@code 1e+20});</li>
 *     <li>{@code str}: {@link Value.Text};</li>
 *     <li>{@code None}: {@link Value.Null} of type {@code NoneType};</li>
 *     <li>lists, tuples, sets and deques: {@link Value.CollectionRef}; dicts: {@link Value.MapRef}, with their first
 *     elements read;</li>
 *     <li>anything else: {@link Value.ObjectRef}, its summary the server's text, its fields read when expanded.</li>
 * </ul>
 *
 * References are valid until the target runs again ({@link #forget()}).
 */
public final class DapValues {

    /** Reads the children of a DAP variables reference, waiting for the server. */
    @FunctionalInterface
    public interface Reader {
        List<org.eclipse.lsp4j.debug.Variable> children(int variablesReference);
    }

    /** How a value's children read: elements, entries or fields. */
    private enum Shape { SEQUENCE, MAPPING, OBJECT }

    private static final Set<String> PRIMITIVES = Set.of("int", "float", "complex", "bool");
    private static final Set<String> SEQUENCES = Set.of("list", "tuple", "set", "frozenset", "deque");
    private static final Set<String> MAPPINGS = Set.of("dict", "OrderedDict", "defaultdict", "Counter", "mappingproxy");
    /** debugpy's pseudo-entry that holds the length of a container. */
    private static final String LENGTH_ENTRY = "len()";

    private final Reader reader;
    private final int maxElements;
    private final int maxStringLength;
    /** The references handed out since the target last ran, and how their children read. */
    private final Map<Long, Shape> live = new ConcurrentHashMap<>();

    public DapValues(Reader reader, int maxElements, int maxStringLength) {
        this.reader = reader;
        this.maxElements = maxElements;
        this.maxStringLength = maxStringLength;
    }

    /** The target runs again: the server's references mean nothing any more. */
    public void forget() {
        live.clear();
    }

    /** Named values (a scope's variables, an object's fields), in the server's order, with objects expanded {@code depth} levels. */
    public List<Variable> variables(List<org.eclipse.lsp4j.debug.Variable> raw, VariableKind kind, int depth) {
        List<Variable> variables = new ArrayList<>(raw.size());
        for (org.eclipse.lsp4j.debug.Variable variable : raw) {
            if (!isGroup(variable)) {
                variables.add(new Variable(variable.getName(), blankToNull(variable.getType()),
                        value(variable.getType(), variable.getValue(), variable.getVariablesReference(), depth), kind));
            }
        }
        return variables;
    }

    /** The fields, elements or entries of a value read earlier, expanded {@code depth} more levels. */
    public List<Variable> children(long ref, int depth) {
        Shape shape = live.get(ref);
        if (shape == null) {
            throw SondeException.badState("Value reference " + ref + " is no longer valid: the target has run since it was read;"
                    + " read the value again.");
        }
        List<org.eclipse.lsp4j.debug.Variable> raw = reader.children((int) ref);
        if (shape == Shape.OBJECT) {
            return variables(raw, VariableKind.FIELD, depth);
        }
        List<Variable> children = new ArrayList<>();
        for (org.eclipse.lsp4j.debug.Variable child : raw) {
            if (!isGroup(child) && !LENGTH_ENTRY.equals(child.getName())) {
                children.add(new Variable("[" + child.getName() + "]", blankToNull(child.getType()),
                        value(child.getType(), child.getValue(), child.getVariablesReference(), depth), VariableKind.ELEMENT));
            }
        }
        return children;
    }

    /** One value from its type name, its text and its reference. */
    public Value value(String type, String text, int ref, int depth) {
        String typeName = type == null ? "" : type;
        String shown = text == null ? "" : text;
        if (typeName.equals("NoneType")) {
            return new Value.Null(typeName);
        }
        if (PRIMITIVES.contains(typeName)) {
            return new Value.Primitive(typeName, shown);
        }
        if (typeName.equals("str")) {
            return PythonLiterals.string(shown)
                    .<Value>map(s -> new Value.Text(typeName, 0, s.length() > maxStringLength ? s.substring(0, maxStringLength) : s, s.length()))
                    .orElseGet(() -> new Value.ObjectRef(typeName, 0, shown, null));
        }
        if (ref <= 0) {
            return new Value.ObjectRef(typeName, 0, shown, null);
        }
        Shape shape = SEQUENCES.contains(typeName) ? Shape.SEQUENCE : MAPPINGS.contains(typeName) ? Shape.MAPPING : Shape.OBJECT;
        live.put((long) ref, shape);
        return switch (shape) {
            case SEQUENCE -> sequence(typeName, ref, depth);
            case MAPPING -> mapping(typeName, ref, depth);
            case OBJECT -> new Value.ObjectRef(typeName, ref, shown,
                    depth > 0 ? variables(reader.children(ref), VariableKind.FIELD, depth - 1) : null);
        };
    }

    private Value sequence(String type, int ref, int depth) {
        List<Value> elements = new ArrayList<>();
        int size = 0;
        for (org.eclipse.lsp4j.debug.Variable child : reader.children(ref)) {
            if (isGroup(child)) {
                continue;
            }
            if (LENGTH_ENTRY.equals(child.getName())) {
                size = parseSize(child.getValue(), size);
            } else if (elements.size() < maxElements) {
                elements.add(element(child, depth));
            }
        }
        return new Value.CollectionRef(type, ref, Math.max(size, elements.size()), elements);
    }

    private Value mapping(String type, int ref, int depth) {
        List<Value.MapRef.Entry> entries = new ArrayList<>();
        int size = 0;
        for (org.eclipse.lsp4j.debug.Variable child : reader.children(ref)) {
            if (isGroup(child)) {
                continue;
            }
            if (LENGTH_ENTRY.equals(child.getName())) {
                size = parseSize(child.getValue(), size);
            } else if (entries.size() < maxElements) {
                entries.add(new Value.MapRef.Entry(key(child.getName()), element(child, depth)));
            }
        }
        return new Value.MapRef(type, ref, Math.max(size, entries.size()), entries);
    }

    /** An element inside a container: containers within are read only when expanding further, else shown by their text. */
    private Value element(org.eclipse.lsp4j.debug.Variable child, int depth) {
        String type = child.getType() == null ? "" : child.getType();
        int ref = child.getVariablesReference();
        if (depth > 0 || ref <= 0 || PRIMITIVES.contains(type) || type.equals("str") || type.equals("NoneType")) {
            return value(type, child.getValue(), ref, Math.max(0, depth - 1));
        }
        Shape shape = SEQUENCES.contains(type) ? Shape.SEQUENCE : MAPPINGS.contains(type) ? Shape.MAPPING : Shape.OBJECT;
        live.put((long) ref, shape);
        return new Value.ObjectRef(type, ref, child.getValue() == null ? "" : child.getValue(), null);
    }

    /** A dict key as debugpy names the entry: the key's own {@code repr}. */
    private Value key(String name) {
        if (PythonLiterals.isInt(name)) {
            return new Value.Primitive("int", name);
        }
        if (PythonLiterals.isFloat(name)) {
            return new Value.Primitive("float", name);
        }
        if (name.equals("True") || name.equals("False")) {
            return new Value.Primitive("bool", name);
        }
        if (name.equals("None")) {
            return new Value.Null("NoneType");
        }
        return PythonLiterals.string(name).<Value>map(s -> new Value.Text("str", 0, s, s.length()))
                .orElseGet(() -> new Value.ObjectRef("", 0, name, null));
    }

    private static int parseSize(String text, int otherwise) {
        try {
            return Integer.parseInt(text == null ? "" : text.strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    /** debugpy's grouping nodes ("special variables", "function variables", ...): no type and no value, only children. */
    private static boolean isGroup(org.eclipse.lsp4j.debug.Variable variable) {
        return (variable.getType() == null || variable.getType().isEmpty())
                && (variable.getValue() == null || variable.getValue().isEmpty())
                && variable.getVariablesReference() > 0;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
