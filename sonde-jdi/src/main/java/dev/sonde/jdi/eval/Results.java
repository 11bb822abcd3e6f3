package dev.sonde.jdi.eval;

/** The value of a conditional or switch expression, converted to the primitive type Java gives the whole expression. */
final class Results {

    private Results() {
    }

    /** {@code value} converted to {@code kind} (unboxed first, a null failing as in Java); as it is when {@code kind} is null. */
    static Operand converted(Context ctx, PrimitiveKind kind, Operand value, String valueSource) {
        if (kind == null) {
            return value;
        }
        Operand.Primitive primitive = Conversions.unboxed(ctx, value, valueSource);
        if (primitive == null) {
            return value;
        }
        return primitive.kind() == kind ? primitive : new Operand.Primitive(kind, kind.convert(ctx.vm(), primitive.value()));
    }
}
