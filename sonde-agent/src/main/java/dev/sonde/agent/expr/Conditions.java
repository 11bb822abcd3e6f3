package dev.sonde.agent.expr;

import dev.sonde.agent.probes.Guard;
import dev.sonde.agent.probes.Template;
import dev.sonde.agent.spy.SondeSpy;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.InstructionAdapter;

/**
 * A probe's {@code if EXPR}: parsed and resolved once, when the probe is set, and emitted inline in the probed
 * method as a {@link Guard}. A hit where the condition throws counts as false; the error goes to {@link #failures()}.
 */
public final class Conditions implements Guard {

    static final String SPY = Type.getInternalName(SondeSpy.class);

    private final String source;
    private final Code code;
    private final Failures failures;

    private Conditions(String source, Code code, Failures failures) {
        this.source = source;
        this.code = code;
        this.failures = failures;
    }

    /**
     * Compiles {@code source}, a Java boolean expression over what {@code scope} sees; without {@code allowInvoke} it may
     * call only side-effect-free JDK methods. Throws {@link dev.sonde.agent.probes.ProbeRefused} with one sentence.
     */
    public static Conditions compile(String source, Template.Scope scope, boolean allowInvoke) {
        Code code = new ExprCompiler(source, scope, allowInvoke).compile();
        if (!Types.isBoolean(code.type())) {
            throw new dev.sonde.agent.probes.ProbeRefused("The condition '" + source.strip() + "' is " + Types.a(code.type())
                    + "; a condition must be true or false, e.g. qty > 10.");
        }
        Code bool = new Code(boolean.class, m -> ExprCompiler.convert(m, code, boolean.class));
        return new Conditions(source.strip(), bool, new Failures("The condition '" + source.strip() + "'", "such hits count as false"));
    }

    public String source() {
        return source;
    }

    /** The errors of the condition on past hits. */
    public Failures failures() {
        return failures;
    }

    @Override
    public void emit(MethodVisitor method, Label skip) {
        InstructionAdapter m = new InstructionAdapter(method);
        emitGuarded(m, code, failures, () -> {
            m.pop();
            m.iconst(0);
        });
        m.ifeq(skip);
    }

    /**
     * Emits {@code code} inside its own exception handler: if it throws, the error goes to {@code failures} (its
     * replacement value on the stack) and {@code onError} turns that into a value of the code's type.
     */
    static void emitGuarded(InstructionAdapter m, Code code, Failures failures, Runnable onError) {
        Label start = new Label();
        Label end = new Label();
        Label handler = new Label();
        Label done = new Label();
        m.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
        m.mark(start);
        code.emit(m);
        m.mark(end);
        m.goTo(done);
        m.mark(handler);
        m.iconst(failures.site());
        m.invokestatic(SPY, "failed", "(Ljava/lang/Throwable;I)Ljava/lang/Object;", false);
        onError.run();
        m.mark(done);
    }
}
