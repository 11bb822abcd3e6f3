package dev.sonde.jdi.eval;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ArrayType;
import com.sun.jdi.VMOutOfMemoryException;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.Value;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code new int[3]}, {@code new int[2][3]}, {@code new String[]{"a", "b"}}: an array created in the target without
 * running code. {@code types} are the array type and its component array types ({@code int[][]}, {@code int[]});
 * {@code lengths} the dimensions given; {@code initializer} (or null) the elements.
 */
record NewArrayNode(String source, List<TypeSpec> types, List<Node> lengths, List<AssignedValue> initializer) implements Node {

    static NewArrayNode of(String source, TypeSpec type, List<Node> lengths, List<AssignedValue> initializer) {
        List<TypeSpec> types = new ArrayList<>();
        for (TypeSpec level = type; level.dimensions() > 0; level = level.component()) {
            types.add(level);
        }
        return new NewArrayNode(source, List.copyOf(types), lengths, initializer);
    }

    @Override
    public Operand eval(Context ctx) {
        if (initializer != null) {
            ArrayType type = types.getFirst().arrayType(ctx, source);
            return Operand.Reference.of(filled(ctx, type), type);
        }
        int[] sizes = new int[lengths.size()];
        for (int i = 0; i < sizes.length; i++) {
            Node length = lengths.get(i);
            Operand.Primitive size = Conversions.unboxed(ctx, length.eval(ctx), length.source());
            if (size == null || size.kind().promoted() != PrimitiveKind.INT) {
                throw SondeException.invalidInput("The array length " + length.source() + " is not an int.");
            }
            sizes[i] = size.value().intValue();
            if (sizes[i] < 0) {
                throw Errors.threw(source, "java.lang.NegativeArraySizeException", String.valueOf(sizes[i]));
            }
        }
        ArrayReference array = created(ctx, sizes, 0);
        return Operand.Reference.of(array, types.getFirst().arrayType(ctx, source));
    }

    private ArrayReference created(Context ctx, int[] sizes, int level) {
        ArrayReference array = ctx.pin(allocated(types.get(level).arrayType(ctx, source), sizes[level]));
        if (level + 1 < sizes.length && sizes[level] > 0) {
            List<Value> rows = new ArrayList<>(sizes[level]);
            for (int i = 0; i < sizes[level]; i++) {
                rows.add(created(ctx, sizes, level + 1));
            }
            store(array, rows);
        }
        return array;
    }

    /** A new array; one the target's heap has no room for is an OutOfMemoryError in the target, which runs on. */
    private ArrayReference allocated(ArrayType type, int length) {
        try {
            return type.newInstance(length);
        } catch (VMOutOfMemoryException noRoom) {
            throw Errors.threw(source, "java.lang.OutOfMemoryError", "the target's heap has no room for " + length + " elements;"
                    + " the target itself runs on");
        }
    }

    private ArrayReference filled(Context ctx, ArrayType type) {
        String componentType = type.componentTypeName();
        String element = "an element of " + Errors.display(type.name());
        List<Value> values = new ArrayList<>(initializer.size());
        for (AssignedValue value : initializer) {
            values.add(Conversions.assignment(ctx, source, value.node().eval(ctx), value.constant(), componentType, element));
        }
        ArrayReference array = ctx.pin(allocated(type, values.size()));
        if (!values.isEmpty()) {
            store(array, values);
        }
        return array;
    }

    private void store(ArrayReference array, List<Value> values) {
        try {
            array.setValues(values);
        } catch (InvalidTypeException | ClassNotLoadedException e) {
            throw SondeException.invalidInput(Errors.code(source) + " cannot store those values in the array (" + e.getMessage() + ").");
        }
    }
}
