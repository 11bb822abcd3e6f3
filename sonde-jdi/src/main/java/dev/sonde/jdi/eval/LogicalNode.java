package dev.sonde.jdi.eval;

/** {@code &&} and {@code ||}, which evaluate their right side only when it decides. */
record LogicalNode(String source, boolean and, Node left, String leftSource, Node right, String rightSource) implements Node {

    @Override
    public Operand eval(Context ctx) {
        boolean first = truth(ctx, left, leftSource);
        if (first != and) {
            return Operators.bool(ctx.vm(), first);
        }
        return Operators.bool(ctx.vm(), truth(ctx, right, rightSource));
    }

    @Override
    public StaticType type(Context ctx) {
        return PrimitiveKind.BOOLEAN;
    }

    private boolean truth(Context ctx, Node side, String sideSource) {
        Operand value = side.eval(ctx);
        Boolean truth = Operators.booleanValue(ctx, value, sideSource);
        if (truth == null) {
            throw Errors.mismatch(Errors.code(source) + " needs booleans on both sides of " + (and ? "&&" : "||") + ", but "
                    + sideSource + " is " + Errors.describe(value) + ".");
        }
        return truth;
    }
}
