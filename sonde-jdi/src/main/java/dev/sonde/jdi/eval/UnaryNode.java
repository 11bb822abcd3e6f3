package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.UnaryExpr;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

/** {@code +x}, {@code -x}, {@code ~x} and {@code !x}. */
record UnaryNode(String source, UnaryExpr.Operator operator, Node operand, String operandSource) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand value = operand.eval(ctx);
        Operand.Primitive primitive = Conversions.unboxed(ctx, value, operandSource);
        VirtualMachine vm = ctx.vm();
        return switch (operator) {
            case PLUS, MINUS -> {
                if (primitive == null || !primitive.kind().isNumeric()) {
                    throw SondeException.invalidInput("'" + source + "' puts a sign on something that is not a number.");
                }
                yield operator == UnaryExpr.Operator.PLUS ? promoted(vm, primitive) : negated(vm, primitive);
            }
            case BITWISE_COMPLEMENT -> {
                if (primitive == null || !primitive.kind().isIntegral()) {
                    throw Errors.mismatch(Errors.code(source) + " needs a whole number after ~, but " + operandSource + " is "
                            + Errors.describe(value) + ".");
                }
                yield primitive.kind().promoted() == PrimitiveKind.LONG
                        ? new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(~primitive.value().longValue()))
                        : new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(~primitive.value().intValue()));
            }
            case LOGICAL_COMPLEMENT -> {
                if (primitive == null || primitive.kind() != PrimitiveKind.BOOLEAN) {
                    throw Errors.mismatch(Errors.code(source) + " needs a boolean after !, but " + operandSource + " is "
                            + Errors.describe(value) + ".");
                }
                yield Operators.bool(vm, !primitive.value().booleanValue());
            }
            default -> throw new IllegalStateException("not a unary operator: " + operator);
        };
    }

    @Override
    public StaticType type(Context ctx) {
        if (operator == UnaryExpr.Operator.LOGICAL_COMPLEMENT) {
            return PrimitiveKind.BOOLEAN;
        }
        PrimitiveKind kind = StaticTypes.unboxed(operand.type(ctx));
        return kind == null ? null : kind.promoted();
    }

    private static Operand promoted(VirtualMachine vm, Operand.Primitive value) {
        PrimitiveKind kind = value.kind().promoted();
        return new Operand.Primitive(kind, kind.convert(vm, value.value()));
    }

    private static Operand negated(VirtualMachine vm, Operand.Primitive value) {
        return switch (value.kind().promoted()) {
            case INT -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(-value.value().intValue()));
            case LONG -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(-value.value().longValue()));
            case FLOAT -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(-value.value().floatValue()));
            default -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(-value.value().doubleValue()));
        };
    }
}
