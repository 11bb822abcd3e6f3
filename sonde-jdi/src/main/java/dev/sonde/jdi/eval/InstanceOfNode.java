package dev.sonde.jdi.eval;

/** {@code x instanceof Type}, and {@code x instanceof Type name}, which binds {@code name} for the rest of the expression. */
record InstanceOfNode(String source, Node value, String valueSource, TypeSpec type, int binding) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand tested = value.eval(ctx);
        if (type.primitive() != null) {
            throw Errors.mismatch(Errors.code(source) + " tests for the primitive type " + type.written() + "; instanceof needs a class.");
        }
        String target = type.name(ctx);
        Operand matched = switch (tested) {
            case Operand.Reference reference when reference.value() == null -> null;
            case Operand.Reference reference -> Types.isAssignable(reference.value().referenceType(), target)
                    ? new Operand.Reference(reference.value(), target, type.loaded(ctx)) : null;
            case Operand.HostString string -> Types.isAssignable(ctx.requireType("java.lang.String"), target) ? string : null;
            default -> throw Errors.mismatch(Errors.code(source) + " needs an object before instanceof, but " + valueSource + " is "
                    + Errors.describe(tested) + ".");
        };
        if (matched != null && binding >= 0) {
            ctx.bind(binding, matched);
        }
        return Operators.bool(ctx.vm(), matched != null);
    }

    @Override
    public StaticType type(Context ctx) {
        return PrimitiveKind.BOOLEAN;
    }
}
