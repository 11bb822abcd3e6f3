package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.ClassType;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StringReference;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/** Java's conversions between operands: unboxing, boxing, string conversion, assignment, invocation and casts. */
final class Conversions {

    private Conversions() {
    }

    /** A primitive as it is, a wrapper's value (unboxing, read from its field), or null for anything else. */
    static Operand.Primitive unboxed(Context ctx, Operand operand, String operandSource) {
        if (operand instanceof Operand.Primitive primitive) {
            return primitive;
        }
        if (!(operand instanceof Operand.Reference reference)) {
            return null;
        }
        PrimitiveKind kind = PrimitiveKind.boxedIn(reference.typeName());
        if (kind == null && reference.value() != null) {
            // A wrapper seen as Object or Number, or as a generic type's erasure (list.get(0)): javac would know
            // the type argument; Sonde looks at the object.
            kind = PrimitiveKind.boxedIn(reference.value().referenceType().name());
        }
        if (kind == null) {
            return null;
        }
        if (reference.value() == null) {
            throw Errors.nullDereference(operandSource + " is null, so it cannot be unboxed to " + Errors.aType(kind.typeName()) + ".");
        }
        ReferenceType box = ctx.requireType(kind.boxName());
        return new Operand.Primitive(kind, (PrimitiveValue) reference.value().getValue(box.fieldByName("value")));
    }

    /** A primitive in its wrapper, through {@code valueOf} in the target as javac's boxing does. */
    static ObjectReference box(Context ctx, Operand.Primitive primitive, String source) {
        PrimitiveKind kind = primitive.kind();
        ClassType box = (ClassType) ctx.requireType(kind.boxName());
        Method valueOf = box.concreteMethodByName("valueOf", "(" + kind.signature() + ")L" + kind.boxName().replace('.', '/') + ";");
        Value boxed = ctx.call(source, Errors.display(box.name()) + ".valueOf", () -> box.invokeMethod(ctx.thread(), valueOf,
                List.of(primitive.value()), ObjectReference.INVOKE_SINGLE_THREADED));
        return ctx.pin((ObjectReference) boxed);
    }

    /**
     * The text string concatenation appends (String.valueOf): primitives, strings, wrappers, null and enums without
     * their own toString() are read as they are; other objects run their toString() in the target.
     */
    static String text(Context ctx, Operand operand, String source, String operandSource) {
        return switch (operand) {
            case Operand.Primitive primitive -> primitive.kind().text(primitive.value());
            case Operand.HostString string -> string.text();
            case Operand.Reference reference when reference.value() == null -> "null";
            case Operand.Reference reference when reference.value() instanceof StringReference string -> string.value();
            case Operand.Reference reference -> objectText(ctx, reference.value(), source);
            default -> throw Errors.mismatch(Errors.code(source) + " concatenates " + operandSource + ", which is "
                    + Errors.describe(operand) + ".");
        };
    }

    private static String objectText(Context ctx, ObjectReference object, String source) {
        ReferenceType type = object.referenceType();
        PrimitiveKind boxed = PrimitiveKind.boxedIn(type.name());
        if (boxed != null) {
            return boxed.text((PrimitiveValue) object.getValue(type.fieldByName("value")));
        }
        Method toString = ctx.evaluator().toStringOf(ctx.vm(), type);
        if (toString.declaringType().name().equals("java.lang.Enum")) {
            return ((StringReference) object.getValue(type.fieldByName("name"))).value();
        }
        Value text = ctx.call(source, Errors.display(type.name()) + ".toString",
                () -> object.invokeMethod(ctx.thread(), toString, List.of(), ObjectReference.INVOKE_SINGLE_THREADED));
        return text == null ? "null" : ((StringReference) text).value();
    }

    /**
     * Assignment conversion (JLS 5.2) of {@code value} to a place of type {@code typeName}: widening, boxing,
     * unboxing, and an int literal narrowed to byte, short or char.
     *
     * @param target what is assigned, for messages ({@code scratch}, {@code an element of int[]})
     */
    static Value assignment(Context ctx, String source, Operand value, Long constant, String typeName, String target) {
        PrimitiveKind primitive = PrimitiveKind.named(typeName);
        if (primitive != null) {
            Operand.Primitive unboxed = unboxed(ctx, value, target);
            boolean narrowedConstant = constant != null && value instanceof Operand.Primitive && primitive.holdsConstant(constant);
            if (unboxed != null && (unboxed.kind().widensTo(primitive) || narrowedConstant)) {
                return primitive.convert(ctx.vm(), unboxed.value());
            }
            throw assignMismatch(source, value, typeName, target);
        }
        return switch (value) {
            case Operand.Primitive given -> {
                Operand.Primitive boxable = given;
                PrimitiveKind box = PrimitiveKind.boxedIn(typeName);
                if (box != null && box != given.kind() && box.isNumeric() && constant != null && box.holdsConstant(constant)) {
                    boxable = new Operand.Primitive(box, box.convert(ctx.vm(), given.value()));
                }
                if (!Types.isAssignable(ctx.requireType(boxable.kind().boxName()), typeName)) {
                    throw assignMismatch(source, value, typeName, target);
                }
                yield box(ctx, boxable, source);
            }
            case Operand.HostString string -> {
                if (!Types.isAssignable(ctx.requireType("java.lang.String"), typeName)) {
                    throw assignMismatch(source, value, typeName, target);
                }
                yield ctx.mirror(string.text());
            }
            case Operand.Reference reference when reference.value() == null -> null;
            case Operand.Reference reference -> {
                if (reference.type() != null && Types.isAssignable(reference.type(), typeName)
                        || Types.isAssignable(reference.value().referenceType(), typeName)) {
                    yield reference.value();
                }
                throw assignMismatch(source, value, typeName, target);
            }
            default -> throw assignMismatch(source, value, typeName, target);
        };
    }

    private static SondeException assignMismatch(String source, Operand value, String typeName, String target) {
        return Errors.mismatch(Errors.code(source) + " assigns " + Errors.describe(value) + " to " + target + ", "
                + Errors.aType(typeName) + ".");
    }

    /** The value a compound assignment ({@code +=}, {@code ++}) stores: the result cast back to the place's type. */
    static Value compound(Context ctx, String source, Operand result, Place place, String target) {
        PrimitiveKind primitive = PrimitiveKind.named(place.typeName());
        Operand.Primitive number = unboxed(ctx, result, source);
        if (primitive != null && number != null) {
            return primitive.convert(ctx.vm(), number.value());
        }
        PrimitiveKind box = PrimitiveKind.boxedIn(place.typeName());
        if (box != null && number != null) {
            return box(ctx, new Operand.Primitive(box, box.convert(ctx.vm(), number.value())), source);
        }
        return assignment(ctx, source, result, null, place.typeName(), target);
    }

    /** The arguments of a call, converted to the parameter types; variable arity ones gathered in an array. */
    static List<Value> arguments(Context ctx, String source, Method method, boolean variableArity, List<Operand> arguments) {
        List<String> parameters = method.argumentTypeNames();
        int fixed = variableArity ? parameters.size() - 1 : parameters.size();
        List<Value> values = new ArrayList<>(parameters.size());
        for (int i = 0; i < fixed; i++) {
            values.add(argument(ctx, source, arguments.get(i), parameters.get(i)));
        }
        if (variableArity) {
            String arrayTypeName = parameters.getLast();
            String component = arrayTypeName.substring(0, arrayTypeName.length() - 2);
            List<Value> rest = new ArrayList<>(arguments.size() - fixed);
            for (int i = fixed; i < arguments.size(); i++) {
                rest.add(argument(ctx, source, arguments.get(i), component));
            }
            values.add(newArray(ctx, source, method, arrayTypeName, rest));
        }
        return values;
    }

    private static ArrayReference newArray(Context ctx, String source, Method method, String arrayTypeName, List<Value> elements) {
        try {
            ArrayType type = (ArrayType) method.argumentTypes().getLast();
            ArrayReference array = ctx.pin(type.newInstance(elements.size()));
            if (!elements.isEmpty()) {
                array.setValues(elements);
            }
            return array;
        } catch (ClassNotLoadedException e) {
            throw SondeException.notFound(Errors.code(source) + " needs an array of type " + arrayTypeName
                    + ", which the target has not loaded yet.");
        } catch (InvalidTypeException e) {
            throw SondeException.invalidInput(Errors.code(source) + " cannot put its arguments in a " + arrayTypeName
                    + " (" + e.getMessage() + ").");
        }
    }

    /** Method invocation conversion of an argument already known to be applicable. */
    private static Value argument(Context ctx, String source, Operand operand, String parameterType) {
        PrimitiveKind primitive = PrimitiveKind.named(parameterType);
        if (primitive != null) {
            return primitive.convert(ctx.vm(), unboxed(ctx, operand, source).value());
        }
        return switch (operand) {
            case Operand.Primitive given -> box(ctx, given, source);
            case Operand.HostString string -> ctx.mirror(string.text());
            case Operand.Reference reference -> reference.value();
            default -> throw new IllegalStateException("not an argument: " + operand);
        };
    }

    /** A cast, with Java's rules: numeric conversions, boxing and unboxing, and a checked reference cast. */
    static Operand cast(Context ctx, String source, TypeSpec target, Operand value, String valueSource) {
        PrimitiveKind primitive = target.primitive();
        if (primitive != null) {
            Operand.Primitive given = unboxed(ctx, value, valueSource);
            boolean fromBox = !(value instanceof Operand.Primitive);
            if (given == null || (given.kind() == PrimitiveKind.BOOLEAN) != (primitive == PrimitiveKind.BOOLEAN)
                    || fromBox && !given.kind().widensTo(primitive)) {
                throw castMismatch(source, value, target.written());
            }
            return new Operand.Primitive(primitive, primitive.convert(ctx.vm(), given.value()));
        }
        String name = target.name(ctx);
        return switch (value) {
            case Operand.Primitive given -> {
                if (!Types.isAssignable(ctx.requireType(given.kind().boxName()), name)) {
                    throw castMismatch(source, value, target.written());
                }
                yield new Operand.Reference(box(ctx, given, source), name, target.loaded(ctx));
            }
            case Operand.HostString string -> {
                if (!Types.isAssignable(ctx.requireType("java.lang.String"), name)) {
                    throw classCast(source, "java.lang.String", name);
                }
                yield string;
            }
            case Operand.Reference object when object.value() == null -> new Operand.Reference(null, name, target.loaded(ctx));
            case Operand.Reference object -> {
                ReferenceType runtime = object.value().referenceType();
                if (!Types.isAssignable(runtime, name)) {
                    throw classCast(source, runtime.name(), name);
                }
                yield new Operand.Reference(object.value(), name, target.loaded(ctx));
            }
            default -> throw castMismatch(source, value, target.written());
        };
    }

    private static SondeException castMismatch(String source, Operand value, String written) {
        return Errors.mismatch(Errors.code(source) + " casts " + Errors.describe(value) + " to " + written + ", which Java does not allow.");
    }

    private static SondeException classCast(String source, String from, String to) {
        return Errors.threw(source, "java.lang.ClassCastException", "class " + from + " cannot be cast to class " + to);
    }
}
