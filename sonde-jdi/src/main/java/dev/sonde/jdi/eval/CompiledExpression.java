package dev.sonde.jdi.eval;

import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.StackFrame;
import dev.sonde.core.error.SondeException;

import java.util.List;

/**
 * A parsed expression, ready to evaluate against frames as often as needed (a condition at every breakpoint hit).
 * What resolves per code location (which local or field a name is) and per type (fields, overloads) is resolved at the
 * first evaluation there and cached, so a later evaluation at the same place reads only the values it needs: for
 * {@code i % 1000 == 7}, one request for {@code i}. Thread-safe.
 */
public final class CompiledExpression {

    private final Evaluator evaluator;
    private final String source;
    private final Node root;
    private final List<LocationPlan.Name> names;
    private final int bindingCount;
    private final boolean mayRunTargetCode;
    private final Memo<Location, LocationPlan> plans = new Memo<>();

    CompiledExpression(Evaluator evaluator, String source, Node root, List<LocationPlan.Name> names, int bindingCount,
                       boolean mayRunTargetCode) {
        this.evaluator = evaluator;
        this.source = source;
        this.root = root;
        this.names = names;
        this.bindingCount = bindingCount;
        this.mayRunTargetCode = mayRunTargetCode;
    }

    public String source() {
        return source;
    }

    /**
     * Whether evaluating may run code in the target (a method call, {@code new}, a concatenation that may need
     * {@code toString}, an assignment that may box); a conservative answer from the text alone.
     */
    public boolean mayRunTargetCode() {
        return mayRunTargetCode;
    }

    /**
     * Evaluates against a frame of a suspended thread. Running code in the target (when {@code options} allow it)
     * needs a thread stopped by an event (a breakpoint or step) and invalidates the thread's {@link StackFrame}s:
     * callers fetch frames again afterwards.
     */
    public Evaluated evaluate(StackFrame frame, EvalOptions options) {
        Context ctx = new Context(evaluator, frame, plan(frame), options, bindingCount);
        try {
            return result(root.eval(ctx));
        } finally {
            ctx.release();
        }
    }

    /**
     * The locals this expression reads at the frame's code location, so that a caller evaluating several expressions
     * at one stop can fetch them all in one request. Throws as {@link #evaluate} would when a name resolves to nothing.
     */
    public List<LocalVariable> localsAt(StackFrame frame) {
        return plan(frame).locals();
    }

    /** Where completions after this expression and a dot come from: a type's members, or only its statics for a class name. */
    record MemberScope(com.sun.jdi.ReferenceType type, boolean statics) {
    }

    /**
     * The type whose members follow this expression and a dot, found without running code: the class it names, else its
     * static type, else (for an expression that runs no code) the type of its value; null for a primitive or unknown.
     */
    MemberScope memberScope(StackFrame frame) {
        Context ctx = new Context(evaluator, frame, plan(frame), EvalOptions.NO_INVOKE, bindingCount);
        try {
            com.sun.jdi.ReferenceType named = root.namedClass(ctx);
            if (named != null) {
                return new MemberScope(named, true);
            }
            StaticType type = root.type(ctx);
            if (type instanceof StaticType.Reference reference) {
                return new MemberScope(reference.type(), false);
            }
            if (type != null || mayRunTargetCode) {
                return null;
            }
            return switch (root.eval(ctx)) {
                case Operand.Reference reference when reference.typeOrRuntime() != null -> new MemberScope(reference.typeOrRuntime(), false);
                case Operand.ClassName className -> new MemberScope(className.type(), true);
                case Operand.HostString ignored -> new MemberScope(ctx.requireType("java.lang.String"), false);
                default -> null;
            };
        } finally {
            ctx.release();
        }
    }

    private LocationPlan plan(StackFrame frame) {
        Location location = frame.location();
        LocationPlan plan = plans.get(location);
        return plan != null ? plan : plans.put(location, LocationPlan.build(frame, names));
    }

    private Evaluated result(Operand result) {
        return switch (result) {
            case Operand.Primitive p -> new Evaluated(p.value(), null, p.kind().typeName());
            case Operand.Reference r -> new Evaluated(r.value(), null, r.typeName());
            case Operand.HostString s -> new Evaluated(null, s.text(), "java.lang.String");
            case Operand.NoValue ignored -> new Evaluated(null, null, "void");
            case Operand.ClassName c -> throw SondeException.invalidInput("'" + source + "' names the class " + c.type().name()
                    + ", not a value; print one of its static fields instead.");
            case Operand.PackageName p -> throw SondeException.notFound("'" + source + "' names no variable, field or loaded class;"
                    + " check the spelling (classes load when first used).");
        };
    }

    @Override
    public String toString() {
        return source;
    }
}
