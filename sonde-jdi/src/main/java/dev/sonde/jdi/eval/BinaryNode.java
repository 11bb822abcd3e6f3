package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.BinaryExpr;

/** A binary operator other than {@code &&} and {@code ||}. */
record BinaryNode(String source, BinaryExpr.Operator operator, Node left, String leftSource, Node right, String rightSource)
        implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand a = left.eval(ctx);
        Operand b = right.eval(ctx);
        return Operators.binary(ctx, source, operator, a, leftSource, b, rightSource);
    }
}
