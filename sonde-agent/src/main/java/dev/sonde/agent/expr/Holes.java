package dev.sonde.agent.expr;

import dev.sonde.agent.probes.Template;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;
import org.objectweb.asm.commons.InstructionAdapter;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code {expr}} holes of a template, compiled like conditions. At a hit their values are gathered into an
 * {@code Object[]}; a hole that throws holds a {@link Failures.Failed} instead, which shows as {@code <NullPointerException>}.
 */
public final class Holes {

    private final List<Code> values;
    private final List<Failures> failures;

    private Holes(List<Code> values, List<Failures> failures) {
        this.values = values;
        this.failures = failures;
    }

    /** Throws {@link dev.sonde.agent.probes.ProbeRefused} with one sentence for the first hole that does not compile. */
    public static Holes compile(List<String> sources, Template.Scope scope, boolean allowInvoke) {
        List<Code> values = new ArrayList<>();
        List<Failures> failures = new ArrayList<>();
        for (String source : sources) {
            Code code = new ExprCompiler(source, scope, allowInvoke).compile();
            values.add(new Code(Types.box(code.type()), m -> ExprCompiler.convert(m, code, Object.class)));
            failures.add(new Failures("The value {" + source + "}", "it shows as <%s> in the text"));
        }
        return new Holes(List.copyOf(values), List.copyOf(failures));
    }

    public int size() {
        return values.size();
    }

    /** The errors of each hole, in order. */
    public List<Failures> failures() {
        return failures;
    }

    /**
     * Leaves an {@code Object[]} with the value of each hole on the stack. Each hole is evaluated inside its own
     * handler into local {@code freeLocal + i}, so the method's locals from {@code freeLocal} on must be unused.
     */
    public void emit(MethodVisitor method, int freeLocal) {
        InstructionAdapter m = new InstructionAdapter(method);
        Type object = Type.getType(Object.class);
        for (int i = 0; i < values.size(); i++) {
            int local = freeLocal + i;
            Conditions.emitGuarded(m, values.get(i), failures.get(i), () -> {
            });
            m.store(local, object);
        }
        m.iconst(values.size());
        m.newarray(object);
        for (int i = 0; i < values.size(); i++) {
            m.dup();
            m.iconst(i);
            m.load(freeLocal + i, object);
            m.astore(object);
        }
    }
}
