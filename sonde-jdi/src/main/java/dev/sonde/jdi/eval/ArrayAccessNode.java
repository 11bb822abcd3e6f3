package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.ReferenceType;
import dev.sonde.core.error.SondeException;

/** {@code array[index]}, with Java's bounds check. The component type is cached per array type. */
final class ArrayAccessNode implements Assignable {

    private final String source;
    private final Node array;
    private final String arraySource;
    private final Node index;
    private final String indexSource;
    private final Memo<ReferenceType, StaticType> componentTypes = new Memo<>();

    ArrayAccessNode(String source, Node array, String arraySource, Node index, String indexSource) {
        this.source = source;
        this.array = array;
        this.arraySource = arraySource;
        this.index = index;
        this.indexSource = indexSource;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        return place(ctx).read(ctx);
    }

    @Override
    public Place.Element place(Context ctx) {
        Operand target = array.eval(ctx);
        Operand position = index.eval(ctx);
        if (!(target instanceof Operand.Reference reference)) {
            throw Errors.mismatch(arraySource + " is " + Errors.describe(target) + ", not an array; only arrays can be indexed.");
        }
        if (reference.value() == null) {
            throw Errors.nullDereference(arraySource + " is null, so it cannot be indexed.");
        }
        if (!(reference.value() instanceof ArrayReference elements)) {
            throw Errors.mismatch(arraySource + " is a " + reference.value().referenceType().name()
                    + ", not an array; only arrays can be indexed.");
        }
        Operand.Primitive number = Conversions.unboxed(ctx, position, indexSource);
        if (number == null || number.kind().promoted() != PrimitiveKind.INT) {
            throw SondeException.invalidInput("Index " + indexSource + " is not an int.");
        }
        int at = number.value().intValue();
        if (at < 0 || at >= elements.length()) {
            throw Errors.threw(source, "java.lang.ArrayIndexOutOfBoundsException", "Index " + at + " out of bounds for length " + elements.length());
        }
        ArrayType type = reference.type() instanceof ArrayType declared ? declared : (ArrayType) elements.referenceType();
        return new Place.Element(elements, at, type.componentTypeName(), componentType(type));
    }

    @Override
    public StaticType type(Context ctx) {
        return StaticTypes.component(array.type(ctx));
    }

    private StaticType componentType(ArrayType type) {
        StaticType known = componentTypes.get(type);
        return known != null ? known : componentTypes.put(type, StaticType.declared(type.componentTypeName(), type::componentType));
    }
}
