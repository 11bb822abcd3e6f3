package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ClassType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.Optional;

/**
 * A type written in an expression (a cast, {@code instanceof}, {@code new}, a class literal): its element name as
 * written and its array dimensions. Its full name resolves once per class the expression is evaluated in.
 */
final class TypeSpec {

    private final String elementName;
    private final int dimensions;
    private final Memo<ReferenceType, String> names = new Memo<>();

    TypeSpec(String elementName, int dimensions) {
        this.elementName = elementName;
        this.dimensions = dimensions;
    }

    /** The component type of this array type. */
    TypeSpec component() {
        return new TypeSpec(elementName, dimensions - 1);
    }

    int dimensions() {
        return dimensions;
    }

    /** The type as written: {@code int[]}, {@code Order}. */
    String written() {
        return elementName + "[]".repeat(dimensions);
    }

    /** The primitive type written, or null for a class or array type. */
    PrimitiveKind primitive() {
        return dimensions == 0 ? PrimitiveKind.named(elementName) : null;
    }

    /** The full name: {@code int[][]}, {@code dev.sonde.fixtures.EvalFixture$Order}. */
    String name(Context ctx) {
        ReferenceType context = ctx.location().declaringType();
        String name = names.get(context);
        return name != null ? name : names.put(context, elementType(ctx).map(ReferenceType::name).orElse(elementName) + "[]".repeat(dimensions));
    }

    private Optional<ReferenceType> elementType(Context ctx) {
        if (PrimitiveKind.named(elementName) != null) {
            return Optional.empty();
        }
        return Optional.of(Types.find(ctx.vm(), elementName, ctx.location().declaringType()).orElseThrow(() ->
                SondeException.notFound("No class named " + elementName + " is loaded in the target; check the name (classes load when first used).")));
    }

    /** The class or array type as the debugger knows it, or null for an array type it has not met yet. */
    ReferenceType loaded(Context ctx) {
        return ctx.evaluator().loadedType(ctx.vm(), name(ctx));
    }

    /**
     * The array type, to create an array of it. JDI hears of array classes the target creates only when it meets one
     * of their objects, so an unknown one is met by creating an empty array through reflection.
     */
    ArrayType arrayType(Context ctx, String source) {
        if (loaded(ctx) instanceof ArrayType known) {
            return known;
        }
        ClassType reflection = (ClassType) ctx.requireType("java.lang.reflect.Array");
        Method newInstance = reflection.concreteMethodByName("newInstance", "(Ljava/lang/Class;[I)Ljava/lang/Object;");
        ctx.requireInvoke(source, "java.lang.reflect.Array.newInstance, to create the array type " + name(ctx));
        ObjectReference element = elementClass(ctx);
        ArrayReference lengths = ctx.pin(((ArrayType) ctx.requireType("int[]")).newInstance(dimensions));
        ObjectReference empty = (ObjectReference) ctx.call(source, "java.lang.reflect.Array.newInstance", () -> reflection.invokeMethod(
                ctx.thread(), newInstance, List.of(element, lengths), ObjectReference.INVOKE_SINGLE_THREADED));
        return (ArrayType) empty.referenceType();
    }

    /** The Class object of the element type ({@code int.class}, {@code Order.class}), read without running code. */
    ObjectReference elementClass(Context ctx) {
        PrimitiveKind primitive = PrimitiveKind.named(elementName);
        if (primitive == null) {
            return elementType(ctx).orElseThrow().classObject();
        }
        ReferenceType box = ctx.requireType(primitive.boxName());
        return (ObjectReference) box.getValue(box.fieldByName("TYPE"));
    }
}
