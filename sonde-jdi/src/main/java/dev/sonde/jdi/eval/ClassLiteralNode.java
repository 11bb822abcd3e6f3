package dev.sonde.jdi.eval;

import com.sun.jdi.ReferenceType;

/** {@code Order.class}, {@code int.class}: the Class object, read without running code. */
record ClassLiteralNode(String source, TypeSpec type) implements Node {

    @Override
    public Operand eval(Context ctx) {
        ReferenceType classClass = ctx.requireType("java.lang.Class");
        if (type.dimensions() == 0) {
            return Operand.Reference.of(type.elementClass(ctx), classClass);
        }
        return Operand.Reference.of(type.arrayType(ctx, source).classObject(), classClass);
    }

    @Override
    public StaticType type(Context ctx) {
        return new StaticType.Reference(ctx.requireType("java.lang.Class"));
    }
}
