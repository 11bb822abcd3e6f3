package dev.sonde.jdi.eval;

import com.sun.jdi.VirtualMachine;

/** A literal: {@code value} is an Integer, Long, Float, Double, Character, Boolean, String or null. */
record LiteralNode(String source, Object value) implements Node {

    @Override
    public Operand eval(Context ctx) {
        VirtualMachine vm = ctx.vm();
        return switch (value) {
            case null -> Operand.Reference.NULL;
            case Integer i -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(i));
            case Long l -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(l));
            case Float f -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(f));
            case Double d -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(d));
            case Character c -> new Operand.Primitive(PrimitiveKind.CHAR, vm.mirrorOf(c));
            case Boolean b -> new Operand.Primitive(PrimitiveKind.BOOLEAN, vm.mirrorOf(b));
            case String s -> new Operand.HostString(s, true);
            default -> throw new IllegalStateException("not a literal: " + value);
        };
    }

    @Override
    public StaticType type(Context ctx) {
        return switch (value) {
            case null -> StaticType.NullType.NULL;
            case Integer ignored -> PrimitiveKind.INT;
            case Long ignored -> PrimitiveKind.LONG;
            case Float ignored -> PrimitiveKind.FLOAT;
            case Double ignored -> PrimitiveKind.DOUBLE;
            case Character ignored -> PrimitiveKind.CHAR;
            case Boolean ignored -> PrimitiveKind.BOOLEAN;
            default -> StaticTypes.string(ctx);
        };
    }

    @Override
    public Integer intConstant() {
        return value instanceof Integer constant ? constant : null;
    }
}
