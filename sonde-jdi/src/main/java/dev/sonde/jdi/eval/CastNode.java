package dev.sonde.jdi.eval;

/** {@code (Type) value}. */
record CastNode(String source, TypeSpec type, Node value, String valueSource) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand given = value.eval(ctx);
        return Conversions.cast(ctx, source, type, given, valueSource);
    }
}
