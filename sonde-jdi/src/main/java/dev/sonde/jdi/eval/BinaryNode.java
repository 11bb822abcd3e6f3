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

    @Override
    public StaticType type(Context ctx) {
        return switch (operator) {
            case EQUALS, NOT_EQUALS, LESS, GREATER, LESS_EQUALS, GREATER_EQUALS -> PrimitiveKind.BOOLEAN;
            default -> {
                StaticType a = left.type(ctx);
                StaticType b = right.type(ctx);
                if (a == null || b == null) {
                    yield null;
                }
                if (operator == BinaryExpr.Operator.PLUS && (isString(a) || isString(b))) {
                    yield StaticTypes.string(ctx);
                }
                PrimitiveKind x = StaticTypes.unboxed(a);
                PrimitiveKind y = StaticTypes.unboxed(b);
                if (x == null || y == null) {
                    yield null;
                }
                yield switch (operator) {
                    case LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT -> x.promoted();
                    case BINARY_AND, BINARY_OR, XOR -> x == PrimitiveKind.BOOLEAN ? x : PrimitiveKind.promoted(x, y);
                    default -> PrimitiveKind.promoted(x, y);
                };
            }
        };
    }

    private static boolean isString(StaticType type) {
        return type instanceof StaticType.Reference reference && reference.type().name().equals("java.lang.String");
    }
}
