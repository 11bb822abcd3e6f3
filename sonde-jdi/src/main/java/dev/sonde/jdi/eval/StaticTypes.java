package dev.sonde.jdi.eval;

import com.sun.jdi.ReferenceType;

import java.util.List;

/** Java's typing rules over {@link StaticType}s, for the types of expressions worked out without evaluating them. */
final class StaticTypes {

    private StaticTypes() {
    }

    static StaticType string(Context ctx) {
        return new StaticType.Reference(ctx.requireType("java.lang.String"));
    }

    /** The primitive type a static type is or unboxes to, or null. */
    static PrimitiveKind unboxed(StaticType type) {
        return switch (type) {
            case PrimitiveKind kind -> kind;
            case StaticType.Reference reference -> PrimitiveKind.boxedIn(reference.type().name());
            case null, default -> null;
        };
    }

    /** The static type of a declared type name, looked up among the loaded classes. */
    static StaticType named(Context ctx, String typeName) {
        PrimitiveKind primitive = PrimitiveKind.named(typeName);
        if (primitive != null) {
            return primitive;
        }
        ReferenceType type = ctx.evaluator().loadedType(ctx.vm(), typeName);
        return type == null ? null : new StaticType.Reference(type);
    }

    /** Binary numeric promotion over static types, or null when either is no number. */
    static PrimitiveKind promoted(StaticType a, StaticType b) {
        PrimitiveKind x = unboxed(a);
        PrimitiveKind y = unboxed(b);
        return x == null || y == null || !x.isNumeric() || !y.isNumeric() ? null : PrimitiveKind.promoted(x, y);
    }

    /**
     * The primitive type a conditional ({@code c ? a : b}) or a switch expression converts its result to (JLS 15.25 and
     * 15.28.1), given its results' static types and their int constants (null where not a constant); null when its
     * results stay as they are (a reference conditional, or a type Sonde cannot tell).
     */
    static PrimitiveKind resultKind(List<StaticType> types, List<Integer> constants) {
        if (types.isEmpty() || types.contains(null)) {
            return null;
        }
        if (types.stream().distinct().count() == 1) {
            // One type for every result: that is the type, a wrapper stays a wrapper.
            return types.getFirst() instanceof PrimitiveKind kind ? kind : null;
        }
        List<PrimitiveKind> kinds = types.stream().map(StaticTypes::unboxed).toList();
        if (kinds.contains(null)) {
            return null;
        }
        if (kinds.stream().allMatch(k -> k == PrimitiveKind.BOOLEAN)) {
            return PrimitiveKind.BOOLEAN;
        }
        if (kinds.stream().anyMatch(k -> k == PrimitiveKind.BOOLEAN)) {
            return null;
        }
        if (kinds.stream().distinct().count() == 1) {
            return kinds.getFirst();
        }
        // Numeric promotion in a numeric choice context (JLS 5.6).
        for (PrimitiveKind wide : List.of(PrimitiveKind.DOUBLE, PrimitiveKind.FLOAT, PrimitiveKind.LONG)) {
            if (kinds.contains(wide)) {
                return wide;
            }
        }
        for (int i = 0; i < kinds.size(); i++) {
            if (kinds.get(i) == PrimitiveKind.INT && constants.get(i) == null) {
                return PrimitiveKind.INT;
            }
        }
        for (PrimitiveKind small : List.of(PrimitiveKind.SHORT, PrimitiveKind.BYTE, PrimitiveKind.CHAR)) {
            if (kinds.contains(small) && fitsAll(small, kinds, constants)) {
                return small;
            }
        }
        return PrimitiveKind.INT;
    }

    /** Whether every result is of {@code small}, a byte where {@code small} is short, or an int constant it holds. */
    private static boolean fitsAll(PrimitiveKind small, List<PrimitiveKind> kinds, List<Integer> constants) {
        for (int i = 0; i < kinds.size(); i++) {
            PrimitiveKind kind = kinds.get(i);
            boolean fits = kind == small || small == PrimitiveKind.SHORT && kind == PrimitiveKind.BYTE
                    || kind == PrimitiveKind.INT && constants.get(i) != null && small.holdsConstant(constants.get(i));
            if (!fits) {
                return false;
            }
        }
        return true;
    }

    /** The component type of an array's static type, or null. */
    static StaticType component(StaticType array) {
        if (array instanceof StaticType.Reference reference && reference.type() instanceof com.sun.jdi.ArrayType type) {
            return StaticType.declared(type.componentTypeName(), type::componentType);
        }
        return null;
    }
}
