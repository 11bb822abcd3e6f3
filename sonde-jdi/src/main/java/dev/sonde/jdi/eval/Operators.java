package dev.sonde.jdi.eval;

import com.github.javaparser.ast.expr.BinaryExpr;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import com.sun.jdi.VirtualMachine;

import java.util.List;
import java.util.Objects;

/** Java's binary operators on operands: numeric promotion, integer division and overflow, shifts, comparisons, concatenation. */
final class Operators {

    private Operators() {
    }

    static Operand binary(Context ctx, String source, BinaryExpr.Operator operator, Operand left, String leftSource,
                          Operand right, String rightSource) {
        if (operator == BinaryExpr.Operator.PLUS && (isString(left) || isString(right))) {
            boolean constant = left instanceof Operand.HostString a && a.constant() && right instanceof Operand.HostString b && b.constant();
            return new Operand.HostString(Conversions.text(ctx, left, source, leftSource) + Conversions.text(ctx, right, source, rightSource),
                    constant);
        }
        if (operator == BinaryExpr.Operator.EQUALS || operator == BinaryExpr.Operator.NOT_EQUALS) {
            boolean equal = equal(ctx, source, left, leftSource, right, rightSource);
            return bool(ctx.vm(), operator == BinaryExpr.Operator.EQUALS == equal);
        }
        Operand.Primitive a = Conversions.unboxed(ctx, left, leftSource);
        Operand.Primitive b = Conversions.unboxed(ctx, right, rightSource);
        return switch (operator) {
            case BINARY_AND, BINARY_OR, XOR -> bitwise(ctx.vm(), source, operator, a, left, leftSource, b, right, rightSource);
            case LEFT_SHIFT, SIGNED_RIGHT_SHIFT, UNSIGNED_RIGHT_SHIFT -> {
                requireIntegral(source, operator, a, left, leftSource);
                requireIntegral(source, operator, b, right, rightSource);
                yield shift(ctx.vm(), operator, a, b);
            }
            default -> {
                requireNumber(source, operator, a, left, leftSource);
                requireNumber(source, operator, b, right, rightSource);
                yield arithmetic(ctx.vm(), source, operator, a, b);
            }
        };
    }

    static boolean isString(Operand operand) {
        return operand instanceof Operand.HostString
                || operand instanceof Operand.Reference reference && reference.typeName().equals("java.lang.String");
    }

    static Operand.Primitive bool(VirtualMachine vm, boolean value) {
        return new Operand.Primitive(PrimitiveKind.BOOLEAN, vm.mirrorOf(value));
    }

    /** A boolean operand's value (a Boolean unboxed), or null when it is no boolean. */
    static Boolean booleanValue(Context ctx, Operand operand, String operandSource) {
        Operand.Primitive value = Conversions.unboxed(ctx, operand, operandSource);
        return value != null && value.kind() == PrimitiveKind.BOOLEAN ? value.value().booleanValue() : null;
    }

    private static void requireNumber(String source, BinaryExpr.Operator operator, Operand.Primitive value, Operand operand, String operandSource) {
        if (value == null || !value.kind().isNumeric()) {
            throw Errors.mismatch(Errors.code(source) + " needs numbers on both sides of " + operator.asString() + ", but "
                    + operandSource + " is " + Errors.describe(operand) + ".");
        }
    }

    private static void requireIntegral(String source, BinaryExpr.Operator operator, Operand.Primitive value, Operand operand, String operandSource) {
        if (value == null || !value.kind().isIntegral()) {
            throw Errors.mismatch(Errors.code(source) + " needs whole numbers on both sides of " + operator.asString() + ", but "
                    + operandSource + " is " + Errors.describe(operand) + ".");
        }
    }

    /** {@code ==} and {@code !=}: numbers and booleans by value (unboxing one side when the other is primitive), references by identity. */
    private static boolean equal(Context ctx, String source, Operand left, String leftSource, Operand right, String rightSource) {
        if (left instanceof Operand.Primitive || right instanceof Operand.Primitive) {
            Operand.Primitive a = Conversions.unboxed(ctx, left, leftSource);
            Operand.Primitive b = Conversions.unboxed(ctx, right, rightSource);
            if (a == null || b == null || (a.kind() == PrimitiveKind.BOOLEAN) != (b.kind() == PrimitiveKind.BOOLEAN)) {
                throw incomparable(source, left, right);
            }
            return switch (a.kind() == PrimitiveKind.BOOLEAN ? PrimitiveKind.BOOLEAN : PrimitiveKind.promoted(a.kind(), b.kind())) {
                case BOOLEAN -> a.value().booleanValue() == b.value().booleanValue();
                case INT -> a.value().intValue() == b.value().intValue();
                case LONG -> a.value().longValue() == b.value().longValue();
                case FLOAT -> a.value().floatValue() == b.value().floatValue();
                default -> a.value().doubleValue() == b.value().doubleValue();
            };
        }
        return switch (left) {
            case Operand.HostString a when right instanceof Operand.HostString b -> a.constant() && b.constant() && a.text().equals(b.text());
            case Operand.HostString a when right instanceof Operand.Reference b -> isInternedConstant(ctx, source, a, b);
            case Operand.Reference a when right instanceof Operand.HostString b -> isInternedConstant(ctx, source, b, a);
            case Operand.Reference a when right instanceof Operand.Reference b -> Objects.equals(a.value(), b.value());
            default -> throw incomparable(source, left, right);
        };
    }

    /**
     * Whether an object is the string a literal stands for: Java interns string constants, so {@code name == "Ada"}
     * holds when {@code name} is the interned "Ada". A different text is false at once. For an equal text: the
     * {@code static final String} constants of the code's class and the classes around it hold the interned instance;
     * else, when invocation is allowed, the target's {@code String.intern()} tells; else the string is interned when a
     * class's constant pool refers to it (a loaded literal), which JDI's referring objects show without running code.
     */
    private static boolean isInternedConstant(Context ctx, String source, Operand.HostString string, Operand.Reference object) {
        if (!string.constant() || !(object.value() instanceof StringReference candidate)) {
            return false;
        }
        if (!candidate.value().equals(string.text())) {
            return false;
        }
        StringReference constant = constantString(ctx, string.text());
        if (constant != null) {
            return candidate.equals(constant);
        }
        if (!ctx.mayInvoke()) {
            return Interning.isLoadedLiteral(ctx, candidate);
        }
        StringReference text = ctx.mirror(string.text());
        Method intern = ((ClassType) text.referenceType()).concreteMethodByName("intern", "()Ljava/lang/String;");
        return candidate.equals(ctx.call(source, "String.intern",
                () -> text.invokeMethod(ctx.thread(), intern, List.of(), ObjectReference.INVOKE_SINGLE_THREADED)));
    }

    /** The value of a {@code static final String} field with this text in the code's class or one around it, or null. */
    private static StringReference constantString(Context ctx, String text) {
        for (ReferenceType type = ctx.location().declaringType(); type != null; type = Types.enclosing(ctx.vm(), type)) {
            List<Field> constants = type.fields().stream()
                    .filter(f -> f.isStatic() && f.isFinal() && f.typeName().equals("java.lang.String")).toList();
            if (constants.isEmpty()) {
                continue;
            }
            for (var value : type.getValues(constants).values()) {
                if (value instanceof StringReference string && string.value().equals(text)) {
                    return string;
                }
            }
        }
        return null;
    }

    private static RuntimeException incomparable(String source, Operand left, Operand right) {
        return Errors.mismatch(Errors.code(source) + " compares " + Errors.describe(left) + " with " + Errors.describe(right)
                + ", which Java does not allow.");
    }

    private static Operand bitwise(VirtualMachine vm, String source, BinaryExpr.Operator operator, Operand.Primitive a, Operand left,
                                   String leftSource, Operand.Primitive b, Operand right, String rightSource) {
        if (a != null && b != null && a.kind() == PrimitiveKind.BOOLEAN && b.kind() == PrimitiveKind.BOOLEAN) {
            boolean x = a.value().booleanValue();
            boolean y = b.value().booleanValue();
            return bool(vm, switch (operator) {
                case BINARY_AND -> x & y;
                case BINARY_OR -> x | y;
                default -> x ^ y;
            });
        }
        if (a == null || !a.kind().isIntegral() || b == null || !b.kind().isIntegral()) {
            boolean leftFits = a != null && (a.kind().isIntegral() || a.kind() == PrimitiveKind.BOOLEAN);
            throw Errors.mismatch(Errors.code(source) + " needs two booleans or two whole numbers around " + operator.asString()
                    + ", but " + (leftFits ? rightSource : leftSource) + " is " + Errors.describe(leftFits ? right : left) + ".");
        }
        if (PrimitiveKind.promoted(a.kind(), b.kind()) == PrimitiveKind.LONG) {
            long x = a.value().longValue();
            long y = b.value().longValue();
            return new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(switch (operator) {
                case BINARY_AND -> x & y;
                case BINARY_OR -> x | y;
                default -> x ^ y;
            }));
        }
        int x = a.value().intValue();
        int y = b.value().intValue();
        return new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(switch (operator) {
            case BINARY_AND -> x & y;
            case BINARY_OR -> x | y;
            default -> x ^ y;
        }));
    }

    /** Shifts promote each side on its own; the distance is masked to the left side's width, as in Java. */
    private static Operand shift(VirtualMachine vm, BinaryExpr.Operator operator, Operand.Primitive a, Operand.Primitive b) {
        int distance = (int) b.value().longValue();
        if (a.kind().promoted() == PrimitiveKind.LONG) {
            long x = a.value().longValue();
            return new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(switch (operator) {
                case LEFT_SHIFT -> x << distance;
                case SIGNED_RIGHT_SHIFT -> x >> distance;
                default -> x >>> distance;
            }));
        }
        int x = a.value().intValue();
        return new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(switch (operator) {
            case LEFT_SHIFT -> x << distance;
            case SIGNED_RIGHT_SHIFT -> x >> distance;
            default -> x >>> distance;
        }));
    }

    private static Operand arithmetic(VirtualMachine vm, String source, BinaryExpr.Operator operator, Operand.Primitive a, Operand.Primitive b) {
        return switch (PrimitiveKind.promoted(a.kind(), b.kind())) {
            case INT -> ints(vm, source, operator, a.value().intValue(), b.value().intValue());
            case LONG -> longs(vm, source, operator, a.value().longValue(), b.value().longValue());
            case FLOAT -> floats(vm, operator, a.value().floatValue(), b.value().floatValue());
            default -> doubles(vm, operator, a.value().doubleValue(), b.value().doubleValue());
        };
    }

    private static Operand ints(VirtualMachine vm, String source, BinaryExpr.Operator operator, int x, int y) {
        return switch (operator) {
            case PLUS -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(x + y));
            case MINUS -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(x - y));
            case MULTIPLY -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(x * y));
            case DIVIDE -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(x / nonZero(y, source)));
            case REMAINDER -> new Operand.Primitive(PrimitiveKind.INT, vm.mirrorOf(x % nonZero(y, source)));
            case LESS -> bool(vm, x < y);
            case GREATER -> bool(vm, x > y);
            case LESS_EQUALS -> bool(vm, x <= y);
            case GREATER_EQUALS -> bool(vm, x >= y);
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
    }

    private static Operand longs(VirtualMachine vm, String source, BinaryExpr.Operator operator, long x, long y) {
        return switch (operator) {
            case PLUS -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(x + y));
            case MINUS -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(x - y));
            case MULTIPLY -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(x * y));
            case DIVIDE -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(x / nonZero(y, source)));
            case REMAINDER -> new Operand.Primitive(PrimitiveKind.LONG, vm.mirrorOf(x % nonZero(y, source)));
            case LESS -> bool(vm, x < y);
            case GREATER -> bool(vm, x > y);
            case LESS_EQUALS -> bool(vm, x <= y);
            case GREATER_EQUALS -> bool(vm, x >= y);
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
    }

    private static Operand floats(VirtualMachine vm, BinaryExpr.Operator operator, float x, float y) {
        return switch (operator) {
            case PLUS -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(x + y));
            case MINUS -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(x - y));
            case MULTIPLY -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(x * y));
            case DIVIDE -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(x / y));
            case REMAINDER -> new Operand.Primitive(PrimitiveKind.FLOAT, vm.mirrorOf(x % y));
            case LESS -> bool(vm, x < y);
            case GREATER -> bool(vm, x > y);
            case LESS_EQUALS -> bool(vm, x <= y);
            case GREATER_EQUALS -> bool(vm, x >= y);
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
    }

    private static Operand doubles(VirtualMachine vm, BinaryExpr.Operator operator, double x, double y) {
        return switch (operator) {
            case PLUS -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(x + y));
            case MINUS -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(x - y));
            case MULTIPLY -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(x * y));
            case DIVIDE -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(x / y));
            case REMAINDER -> new Operand.Primitive(PrimitiveKind.DOUBLE, vm.mirrorOf(x % y));
            case LESS -> bool(vm, x < y);
            case GREATER -> bool(vm, x > y);
            case LESS_EQUALS -> bool(vm, x <= y);
            case GREATER_EQUALS -> bool(vm, x >= y);
            default -> throw new IllegalStateException("not arithmetic: " + operator);
        };
    }

    private static int nonZero(int divisor, String source) {
        if (divisor == 0) {
            throw Errors.threw(source, "java.lang.ArithmeticException", "/ by zero");
        }
        return divisor;
    }

    private static long nonZero(long divisor, String source) {
        if (divisor == 0) {
            throw Errors.threw(source, "java.lang.ArithmeticException", "/ by zero");
        }
        return divisor;
    }
}
