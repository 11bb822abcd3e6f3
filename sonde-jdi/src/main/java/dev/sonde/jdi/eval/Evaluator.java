package dev.sonde.jdi.eval;

import com.github.javaparser.JavaParser;
import com.github.javaparser.ParseResult;
import com.github.javaparser.ParserConfiguration;
import com.github.javaparser.Problem;
import com.github.javaparser.ast.expr.ArrayAccessExpr;
import com.github.javaparser.ast.expr.BooleanLiteralExpr;
import com.github.javaparser.ast.expr.CharLiteralExpr;
import com.github.javaparser.ast.expr.DoubleLiteralExpr;
import com.github.javaparser.ast.expr.EnclosedExpr;
import com.github.javaparser.ast.expr.Expression;
import com.github.javaparser.ast.expr.FieldAccessExpr;
import com.github.javaparser.ast.expr.IntegerLiteralExpr;
import com.github.javaparser.ast.expr.LongLiteralExpr;
import com.github.javaparser.ast.expr.NameExpr;
import com.github.javaparser.ast.expr.NullLiteralExpr;
import com.github.javaparser.ast.expr.StringLiteralExpr;
import com.github.javaparser.ast.expr.ThisExpr;
import com.github.javaparser.ast.expr.UnaryExpr;
import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ArrayReference;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Evaluates Java expressions against a suspended frame: names (locals, arguments, fields of {@code this}
 * and of enclosing instances, static fields), field chains, {@code length} and array elements, and
 * literals. The expression is parsed with JavaParser; nothing runs in the target.
 */
public final class Evaluator {

    private final JavaParser parser = new JavaParser(new ParserConfiguration()
            .setLanguageLevel(ParserConfiguration.LanguageLevel.JAVA_21));

    /** The outcome: a JDI value and the static type name Java would give it (for nulls). */
    public record Result(Value value, String typeName) {
    }

    /** A type named in an expression, standing where a value would ({@code Order} in {@code Order.count}). */
    private record TypeName(ReferenceType type) {
    }

    public Result evaluate(StackFrame frame, String expression) {
        Expression parsed = parse(expression);
        Object result = eval(frame, parsed);
        if (result instanceof TypeName type) {
            throw SondeException.invalidInput("'" + expression + "' names the class " + type.type().name()
                    + ", not a value; print one of its static fields instead.");
        }
        return (Result) result;
    }

    private Expression parse(String expression) {
        if (expression == null || expression.isBlank()) {
            throw SondeException.invalidInput("Nothing to evaluate; give an expression such as order.items[0].");
        }
        ParseResult<Expression> result;
        synchronized (parser) {
            result = parser.parseExpression(expression);
        }
        if (!result.isSuccessful() || result.getResult().isEmpty()) {
            String problem = result.getProblems().stream().findFirst().map(Problem::getMessage)
                    .map(m -> m.lines().findFirst().orElse(m)).orElse("not an expression");
            throw SondeException.invalidInput("Cannot parse '" + expression + "' as a Java expression (" + problem
                    + "); check it, for example order.items[0].");
        }
        return result.getResult().get();
    }

    private Object eval(StackFrame frame, Expression expression) {
        return switch (expression) {
            case EnclosedExpr enclosed -> eval(frame, enclosed.getInner());
            case NameExpr name -> name(frame, name.getNameAsString());
            case ThisExpr ignored -> {
                ObjectReference self = frame.thisObject();
                if (self == null) {
                    throw SondeException.invalidInput("There is no 'this' in static method " + frame.location().method().name() + ".");
                }
                yield new Result(self, self.referenceType().name());
            }
            case FieldAccessExpr access -> fieldAccess(frame, access);
            case ArrayAccessExpr access -> arrayAccess(frame, access);
            case IntegerLiteralExpr literal -> literal(frame.virtualMachine(), literal.asNumber().intValue(), "int");
            case LongLiteralExpr literal -> literal(frame.virtualMachine(), literal.asNumber().longValue(), "long");
            case DoubleLiteralExpr literal -> literal(frame.virtualMachine(), literal.asDouble(), "double");
            case BooleanLiteralExpr literal -> new Result(frame.virtualMachine().mirrorOf(literal.getValue()), "boolean");
            case CharLiteralExpr literal -> new Result(frame.virtualMachine().mirrorOf(literal.asChar()), "char");
            case StringLiteralExpr literal -> new Result(frame.virtualMachine().mirrorOf(literal.asString()), "java.lang.String");
            case NullLiteralExpr ignored -> new Result(null, "null");
            case UnaryExpr unary when unary.getOperator() == UnaryExpr.Operator.MINUS
                    || unary.getOperator() == UnaryExpr.Operator.PLUS -> sign(frame, unary);
            default -> throw new SondeException(ErrorKind.UNSUPPORTED, "'" + expression
                    + "' is beyond what print reads today: names, fields, array elements and literals (a.b[2].c).");
        };
    }

    /** {@code -1}, {@code +x}: a sign in front of a number. */
    private Result sign(StackFrame frame, UnaryExpr unary) {
        boolean minus = unary.getOperator() == UnaryExpr.Operator.MINUS;
        // -2147483648 and -9223372036854775808L are literals only with their sign (JavaParser reads them as the
        // minimum, which negates to itself).
        if (minus && unary.getExpression() instanceof IntegerLiteralExpr literal) {
            return literal(frame.virtualMachine(), -literal.asNumber().intValue(), "int");
        }
        if (minus && unary.getExpression() instanceof LongLiteralExpr literal) {
            return literal(frame.virtualMachine(), -literal.asNumber().longValue(), "long");
        }
        Object operand = eval(frame, unary.getExpression());
        VirtualMachine vm = frame.virtualMachine();
        if (operand instanceof Result result) {
            switch (result.value()) {
                case IntegerValue v -> {
                    return new Result(vm.mirrorOf(minus ? -v.value() : v.value()), "int");
                }
                case com.sun.jdi.LongValue v -> {
                    return new Result(vm.mirrorOf(minus ? -v.value() : v.value()), "long");
                }
                case com.sun.jdi.DoubleValue v -> {
                    return new Result(vm.mirrorOf(minus ? -v.value() : v.value()), "double");
                }
                case com.sun.jdi.FloatValue v -> {
                    return new Result(vm.mirrorOf(minus ? -v.value() : v.value()), "float");
                }
                case null, default -> {
                }
            }
        }
        throw SondeException.invalidInput("'" + unary + "' puts a sign on something that is not a number.");
    }

    private static Result literal(VirtualMachine vm, Object number, String type) {
        return switch (number) {
            case Integer i -> new Result(vm.mirrorOf(i), type);
            case Long l -> new Result(vm.mirrorOf(l), type);
            case Double d -> new Result(vm.mirrorOf(d), type);
            default -> throw SondeException.invalidInput("Unsupported literal " + number + ".");
        };
    }

    private Object name(StackFrame frame, String name) {
        try {
            LocalVariable local = frame.visibleVariableByName(name);
            if (local != null) {
                return new Result(frame.getValue(local), local.typeName());
            }
        } catch (AbsentInformationException e) {
            // no local variable table: only fields and classes can be found
        }
        ObjectReference self = frame.location().method().isStatic() ? null : frame.thisObject();
        // Fields of this, then of each enclosing instance (inner classes keep it in this$0).
        for (ObjectReference holder = self; holder != null; holder = enclosingInstance(holder)) {
            Field field = holder.referenceType().fieldByName(name);
            if (field != null) {
                return new Result(field.isStatic() ? field.declaringType().getValue(field) : holder.getValue(field), field.typeName());
            }
        }
        ReferenceType current = frame.location().declaringType();
        Field staticField = current.fieldByName(name);
        if (staticField != null && staticField.isStatic()) {
            return new Result(current.getValue(staticField), staticField.typeName());
        }
        Optional<ReferenceType> type = Types.find(frame.virtualMachine(), name, current);
        if (type.isPresent()) {
            return new TypeName(type.get());
        }
        throw SondeException.notFound("No variable, field or class named '" + name + "' is visible in "
                + frame.location().method().name() + visibleNames(frame) + ".");
    }

    private static ObjectReference enclosingInstance(ObjectReference object) {
        Field outer = object.referenceType().fieldByName("this$0");
        return outer == null ? null : (ObjectReference) object.getValue(outer);
    }

    private static String visibleNames(StackFrame frame) {
        try {
            List<LocalVariable> locals = frame.visibleVariables();
            return locals.isEmpty() ? "" : "; visible here: " + locals.stream().map(LocalVariable::name).collect(Collectors.joining(", "));
        } catch (AbsentInformationException e) {
            return " (the class was compiled without local variable names)";
        }
    }

    private Object fieldAccess(StackFrame frame, FieldAccessExpr access) {
        String fieldName = access.getNameAsString();
        Object scope;
        try {
            scope = eval(frame, access.getScope());
        } catch (SondeException unknown) {
            // a.b.C.FIELD: the scope may be a package-qualified class name.
            Optional<ReferenceType> qualified = Types.find(frame.virtualMachine(), access.getScope().toString(), frame.location().declaringType());
            if (qualified.isEmpty() || unknown.kind() != ErrorKind.NOT_FOUND) {
                throw unknown;
            }
            scope = new TypeName(qualified.get());
        }
        if (scope instanceof TypeName type) {
            Field field = type.type().fieldByName(fieldName);
            if (field == null || !field.isStatic()) {
                Optional<ReferenceType> nested = Types.find(frame.virtualMachine(), type.type().name() + "$" + fieldName, null);
                if (nested.isPresent()) {
                    return new TypeName(nested.get());
                }
                throw SondeException.notFound("Class " + type.type().name() + " has no static field '" + fieldName + "'.");
            }
            return new Result(type.type().getValue(field), field.typeName());
        }
        Result target = (Result) scope;
        Value value = target.value();
        if (value == null) {
            throw SondeException.badState(access.getScope() + " is null, so ." + fieldName + " cannot be read.");
        }
        if (value instanceof ArrayReference array) {
            if (fieldName.equals("length")) {
                return new Result(frame.virtualMachine().mirrorOf(array.length()), "int");
            }
            throw SondeException.notFound("Arrays have only 'length', not '" + fieldName + "'.");
        }
        if (!(value instanceof ObjectReference object)) {
            throw SondeException.invalidInput(access.getScope() + " is a " + value.type().name() + ", which has no fields.");
        }
        Field field = object.referenceType().fieldByName(fieldName);
        if (field == null) {
            String fields = object.referenceType().allFields().stream().map(Field::name).distinct().collect(Collectors.joining(", "));
            throw SondeException.notFound(object.referenceType().name() + " has no field '" + fieldName + "'"
                    + (fields.isEmpty() ? "." : "; its fields are: " + fields + "."));
        }
        return new Result(field.isStatic() ? field.declaringType().getValue(field) : object.getValue(field), field.typeName());
    }

    private Object arrayAccess(StackFrame frame, ArrayAccessExpr access) {
        Object arrayResult = eval(frame, access.getName());
        Object indexResult = eval(frame, access.getIndex());
        if (!(arrayResult instanceof Result array) || !(indexResult instanceof Result index)) {
            throw SondeException.invalidInput("'" + access + "' indexes a class name, not an array.");
        }
        if (array.value() == null) {
            throw SondeException.badState(access.getName() + " is null, so it cannot be indexed.");
        }
        if (!(array.value() instanceof ArrayReference elements)) {
            throw SondeException.invalidInput(access.getName() + " is a " + array.value().type().name()
                    + ", not an array; only arrays can be indexed for now.");
        }
        if (!(index.value() instanceof IntegerValue) && !(index.value() instanceof PrimitiveValue p && isIntegral(p))) {
            throw SondeException.invalidInput("Index " + access.getIndex() + " is not an int.");
        }
        int position = ((PrimitiveValue) index.value()).intValue();
        if (position < 0 || position >= elements.length()) {
            throw SondeException.invalidInput("Index " + position + " is out of bounds for " + access.getName()
                    + " (length " + elements.length() + ").");
        }
        String arrayType = elements.referenceType().name();
        return new Result(elements.getValue(position), arrayType.substring(0, arrayType.length() - 2));
    }

    private static boolean isIntegral(PrimitiveValue value) {
        return value instanceof com.sun.jdi.ShortValue || value instanceof com.sun.jdi.ByteValue || value instanceof com.sun.jdi.CharValue;
    }
}
