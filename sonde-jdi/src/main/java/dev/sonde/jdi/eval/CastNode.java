package dev.sonde.jdi.eval;

/** {@code (Type) value}. */
record CastNode(String source, TypeSpec type, Node value, String valueSource) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand given = value.eval(ctx);
        return Conversions.cast(ctx, source, type, given, valueSource);
    }

    @Override
    public StaticType type(Context ctx) {
        if (type.primitive() != null) {
            return type.primitive();
        }
        com.sun.jdi.ReferenceType loaded = type.loaded(ctx);
        return loaded == null ? null : new StaticType.Reference(loaded);
    }
}
