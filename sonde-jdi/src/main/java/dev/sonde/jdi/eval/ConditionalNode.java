package dev.sonde.jdi.eval;

import com.sun.jdi.Location;

import java.util.Arrays;
import java.util.Optional;

/**
 * {@code condition ? a : b}, evaluating only the branch taken. When both branches are numbers (or both booleans) the
 * result is converted to their common type as in Java (JLS 15.25): {@code flag ? 1 : 2L} is a long, {@code flag ? 1 : 'a'}
 * a char; the branch not taken is typed without being evaluated.
 */
final class ConditionalNode implements Node {

    private final String source;
    private final Node condition;
    private final String conditionSource;
    private final Node then;
    private final String thenSource;
    private final Node otherwise;
    private final String otherwiseSource;
    private final Memo<Location, Optional<PrimitiveKind>> resultKinds = new Memo<>();

    ConditionalNode(String source, Node condition, String conditionSource, Node then, String thenSource, Node otherwise,
                    String otherwiseSource) {
        this.source = source;
        this.condition = condition;
        this.conditionSource = conditionSource;
        this.then = then;
        this.thenSource = thenSource;
        this.otherwise = otherwise;
        this.otherwiseSource = otherwiseSource;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public Operand eval(Context ctx) {
        Operand test = condition.eval(ctx);
        Boolean truth = Operators.booleanValue(ctx, test, conditionSource);
        if (truth == null) {
            throw Errors.mismatch(Errors.code(source) + " needs a boolean before ?, but " + conditionSource + " is "
                    + Errors.describe(test) + ".");
        }
        Operand value = truth ? then.eval(ctx) : otherwise.eval(ctx);
        return Results.converted(ctx, resultKind(ctx).orElse(null), value, truth ? thenSource : otherwiseSource);
    }

    @Override
    public StaticType type(Context ctx) {
        PrimitiveKind kind = resultKind(ctx).orElse(null);
        if (kind != null) {
            return kind;
        }
        StaticType a = then.type(ctx);
        return a != null && a.equals(otherwise.type(ctx)) ? a : null;
    }

    private Optional<PrimitiveKind> resultKind(Context ctx) {
        Optional<PrimitiveKind> known = resultKinds.get(ctx.location());
        if (known != null) {
            return known;
        }
        PrimitiveKind kind = StaticTypes.resultKind(Arrays.asList(then.type(ctx), otherwise.type(ctx)),
                Arrays.asList(then.intConstant(), otherwise.intConstant()));
        return resultKinds.put(ctx.location(), Optional.ofNullable(kind));
    }
}
