package dev.sonde.jdi.values;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.BooleanValue;
import com.sun.jdi.ByteValue;
import com.sun.jdi.CharValue;
import com.sun.jdi.ClassObjectReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.DoubleValue;
import com.sun.jdi.Field;
import com.sun.jdi.FloatValue;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LongValue;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.ShortValue;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import dev.sonde.core.model.Rendering;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns JDI values into Sonde's {@link Value} model without running any code in the target: boxed
 * numbers, enums, strings and JDK collections are read from their fields.
 */
public final class ValueReader {

    private static final Set<String> BOXES = Set.of(
            "java.lang.Integer", "java.lang.Long", "java.lang.Short", "java.lang.Byte", "java.lang.Double",
            "java.lang.Float", "java.lang.Boolean", "java.lang.Character");
    private static final String STRING = "java.lang.String";

    private final ObjectHandles handles;
    private final ReadLimits limits;
    private final CollectionSummaries collections;

    public ValueReader(ObjectHandles handles, ReadLimits limits) {
        this.handles = handles;
        this.limits = limits;
        this.collections = new CollectionSummaries(this, limits);
    }

    public ReadLimits limits() {
        return limits;
    }

    public ObjectHandles handles() {
        return handles;
    }

    /**
     * Reads a value. {@code depth} is how many levels of object fields to fill in (0: a summary only).
     *
     * @param declaredType used to name the type of a null
     */
    public Value read(com.sun.jdi.Value value, String declaredType, int depth) {
        try {
            return switch (value) {
                case null -> new Value.Null(declaredType == null ? "null" : declaredType);
                case PrimitiveValue primitive -> primitive(primitive);
                case StringReference string -> text(string);
                case ArrayReference array -> array(array, depth);
                case ClassObjectReference classObject -> new Value.ObjectRef("java.lang.Class", handles.register(classObject),
                        "class " + classObject.reflectedType().name(), null);
                case ThreadReference thread -> new Value.ObjectRef(thread.referenceType().name(), handles.register(thread),
                        "Thread[" + thread.name() + "]", depth > 0 ? fields(thread, depth - 1) : null);
                case ObjectReference object -> object(object, depth);
                default -> new Value.Unavailable(value.type().name(), "unreadable value");
            };
        } catch (ObjectCollectedException e) {
            return new Value.Unavailable(declaredType == null ? "java.lang.Object" : declaredType, "collected");
        }
    }

    /** The fields or elements of an object, as variables, each read to {@code depth}. */
    public List<Variable> children(ObjectReference object, int depth) {
        if (object instanceof ArrayReference array) {
            int length = array.length();
            List<com.sun.jdi.Value> values = length == 0 ? List.of() : array.getValues(0, Math.min(length, limits.maxElements() * 10));
            String componentType = componentType(array);
            List<Variable> elements = new ArrayList<>(values.size());
            for (int i = 0; i < values.size(); i++) {
                elements.add(new Variable("[" + i + "]", componentType, read(values.get(i), componentType, depth), VariableKind.ELEMENT));
            }
            return elements;
        }
        if (object.referenceType() instanceof ClassType type) {
            List<Variable> contents = collections.children(object, type, depth);
            if (contents != null) {
                return contents;
            }
        }
        return fields(object, depth);
    }

    /**
     * Children {@code start .. start+count-1} of an object: of an array or a known collection only those elements are
     * read and converted, so a page of a million-element list costs a page; an object's fields are all read, then cut.
     */
    public List<Variable> children(ObjectReference object, int start, int count, int depth) {
        int from = Math.max(0, start);
        int wanted = Math.max(0, count);
        if (object instanceof ArrayReference array) {
            int length = array.length();
            int shown = (int) Math.min(wanted, Math.max(0L, (long) length - from));
            List<com.sun.jdi.Value> values = shown == 0 ? List.of() : array.getValues(from, shown);
            String componentType = componentType(array);
            List<Variable> elements = new ArrayList<>(shown);
            for (int i = 0; i < values.size(); i++) {
                elements.add(new Variable("[" + (from + i) + "]", componentType, read(values.get(i), componentType, depth), VariableKind.ELEMENT));
            }
            return elements;
        }
        if (object.referenceType() instanceof ClassType type) {
            List<Variable> contents = collections.children(object, type, from, wanted, depth);
            if (contents != null) {
                return contents;
            }
        }
        List<Variable> all = fields(object, depth);
        return all.subList(Math.min(from, all.size()), (int) Math.min(all.size(), (long) from + wanted));
    }

    /** The instance fields of an object (inherited ones included), each read to {@code depth}. */
    public List<Variable> fields(ObjectReference object, int depth) {
        List<Field> fields = object.referenceType().allFields().stream().filter(f -> !f.isStatic()).toList();
        if (fields.isEmpty()) {
            return List.of();
        }
        Map<Field, com.sun.jdi.Value> values = object.getValues(fields);
        List<Variable> variables = new ArrayList<>(fields.size());
        for (Field field : fields) {
            variables.add(new Variable(field.name(), field.typeName(), read(values.get(field), field.typeName(), depth), VariableKind.FIELD));
        }
        return variables;
    }

    /** The static fields of a type, read to {@code depth}. */
    public List<Variable> staticFields(ReferenceType type, int depth) {
        List<Field> fields = type.fields().stream().filter(Field::isStatic).toList();
        if (fields.isEmpty()) {
            return List.of();
        }
        Map<Field, com.sun.jdi.Value> values = type.getValues(fields);
        List<Variable> variables = new ArrayList<>(fields.size());
        for (Field field : fields) {
            variables.add(new Variable(field.name(), field.typeName(), read(values.get(field), field.typeName(), depth), VariableKind.STATIC_FIELD));
        }
        return variables;
    }

    private static Value primitive(PrimitiveValue value) {
        return switch (value) {
            case IntegerValue v -> new Value.Primitive("int", v.value());
            case LongValue v -> new Value.Primitive("long", v.value());
            case BooleanValue v -> new Value.Primitive("boolean", v.value());
            case DoubleValue v -> new Value.Primitive("double", v.value());
            case FloatValue v -> new Value.Primitive("float", v.value());
            case CharValue v -> new Value.Primitive("char", v.value());
            case ByteValue v -> new Value.Primitive("byte", v.value());
            case ShortValue v -> new Value.Primitive("short", v.value());
            default -> new Value.Unavailable(value.type().name(), "unknown primitive");
        };
    }

    /** A string computed on this side (an evaluated concatenation, say), cut to the configured maximum like one read from the target. */
    public Value hostText(String full) {
        String shown = full.length() > limits.maxStringLength() ? full.substring(0, limits.maxStringLength()) : full;
        return new Value.Text(STRING, 0L, shown, full.length());
    }

    private Value text(StringReference string) {
        String full = string.value();
        String shown = full.length() > limits.maxStringLength() ? full.substring(0, limits.maxStringLength()) : full;
        return new Value.Text(STRING, handles.register(string), shown, full.length());
    }

    /**
     * Whether an array or collection read at {@code depth} shows its elements. Elements are read one level
     * deeper (depth - 1, going below 0 inside a summary); containers show theirs one level further than
     * objects show fields, so {@code int[][]} and lists of lists read well, and beyond that only their size,
     * so a structure that contains itself ends.
     */
    static boolean showsElements(int depth) {
        return depth >= -1;
    }

    private Value array(ArrayReference array, int depth) {
        int length = array.length();
        int shown = showsElements(depth) ? Math.min(length, limits.maxElements()) : 0;
        List<com.sun.jdi.Value> values = shown == 0 ? List.of() : array.getValues(0, shown);
        String componentType = componentType(array);
        List<Value> elements = new ArrayList<>(shown);
        for (com.sun.jdi.Value element : values) {
            elements.add(read(element, componentType, depth - 1));
        }
        return new Value.ArrayRef(array.referenceType().name(), handles.register(array), length, elements);
    }

    private static String componentType(ArrayReference array) {
        String name = array.referenceType().name();
        return name.substring(0, name.length() - 2);
    }

    private Value object(ObjectReference object, int depth) {
        ReferenceType type = object.referenceType();
        String typeName = type.name();
        long ref = handles.register(object);
        if (BOXES.contains(typeName)) {
            com.sun.jdi.Value boxed = object.getValue(type.fieldByName("value"));
            return new Value.ObjectRef(typeName, ref, primitive((PrimitiveValue) boxed).render(), null);
        }
        if (type instanceof ClassType classType) {
            if (classType.isEnum() || (classType.superclass() != null && classType.superclass().isEnum())) {
                Field name = type.fieldByName("name");
                String constant = name == null ? "?" : ((StringReference) object.getValue(name)).value();
                String enumType = classType.isEnum() ? typeName : classType.superclass().name();
                return new Value.ObjectRef(typeName, ref, Rendering.simpleName(enumType) + "." + constant, null);
            }
            Value summary = collections.summarize(object, classType, depth);
            if (summary != null) {
                return summary;
            }
            if (classType.superclass() != null && classType.superclass().name().equals("java.lang.Record")) {
                return record(object, classType, ref);
            }
        }
        String summary = Rendering.simpleName(typeName) + "@" + object.uniqueID();
        return new Value.ObjectRef(typeName, ref, summary, depth > 0 ? fields(object, depth - 1) : null);
    }

    /**
     * A record shows its components, as its {@code toString} would ({@code LineItem[sku="kettle", quantity=2]}), read
     * from its fields in one round trip; records inside it show as {@code Name@id}, so the cost stays bounded.
     */
    private Value record(ObjectReference object, ClassType type, long ref) {
        List<Field> components = type.fields().stream().filter(f -> !f.isStatic()).toList();
        Map<Field, com.sun.jdi.Value> values = components.isEmpty() ? Map.of() : object.getValues(components);
        String name = Rendering.simpleName(type.name());
        // As the record's own toString names it: the simple name, without enclosing classes.
        StringBuilder summary = new StringBuilder(name.substring(name.lastIndexOf('$') + 1)).append('[');
        // The summary already shows the components; expanding the record would only repeat them.
        for (int i = 0; i < components.size(); i++) {
            Field component = components.get(i);
            com.sun.jdi.Value value = values.get(component);
            Value shown = value instanceof ObjectReference inner && !(value instanceof StringReference)
                    && inner.referenceType() instanceof ClassType innerType && innerType.superclass() != null
                    && innerType.superclass().name().equals("java.lang.Record")
                    ? new Value.ObjectRef(innerType.name(), handles.register(inner), Rendering.simpleName(innerType.name()) + "@" + inner.uniqueID(), null)
                    : read(value, component.typeName(), 0);
            summary.append(i == 0 ? "" : ", ").append(component.name()).append('=').append(shown.render());
        }
        return new Value.ObjectRef(type.name(), ref, summary.append(']').toString(), null);
    }
}
