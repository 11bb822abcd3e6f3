package dev.sonde.jdi.breakpoints;

import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.LogTemplate;
import dev.sonde.jdi.eval.CompiledExpression;
import dev.sonde.jdi.eval.EvalOptions;
import dev.sonde.jdi.eval.Evaluator;
import dev.sonde.jdi.eval.Memo;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.StackFrame;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one breakpoint does at a hit, with its expressions parsed once when the breakpoint is set: the
 * condition, the log message's parts, the snapshot's watches. Also counts the hits that pass the condition.
 */
public final class HitPolicy {

    /** A piece of a log message: text as is, or an expression to evaluate. */
    public sealed interface MessagePart {
        record Text(String text) implements MessagePart {
        }

        record Expression(CompiledExpression expression) implements MessagePart {
        }
    }

    private final int id;
    private final BreakpointOptions options;
    private final EvalOptions evalOptions;
    private final CompiledExpression condition;
    private final List<MessagePart> message;
    private final List<CompiledExpression> watches;
    private final boolean runsTargetCode;
    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong captures = new AtomicLong();
    private final AtomicBoolean conditionFailed = new AtomicBoolean();
    private final Memo<Location, List<LocalVariable>> localsByLocation = new Memo<>();

    /** Parses and checks every expression now, so a mistake is reported when the breakpoint is set, not at a hit. */
    HitPolicy(int id, BreakpointOptions options, Evaluator evaluator, Duration invokeTimeout) {
        this.id = id;
        this.options = options;
        this.evalOptions = new EvalOptions(options.allowInvoke(), invokeTimeout);
        this.condition = options.condition() == null ? null : evaluator.compile(options.condition());
        List<MessagePart> parts = new ArrayList<>();
        List<CompiledExpression> watched = new ArrayList<>();
        switch (options.action()) {
            case BreakpointAction.Log log -> {
                for (LogTemplate.Part part : LogTemplate.parse(log.template()).parts()) {
                    parts.add(switch (part) {
                        case LogTemplate.Text text -> new MessagePart.Text(text.text());
                        case LogTemplate.Expression expression -> new MessagePart.Expression(evaluator.compile(expression.source()));
                    });
                }
            }
            case BreakpointAction.Snapshot snapshot -> snapshot.watches().forEach(w -> watched.add(evaluator.compile(w)));
            case BreakpointAction.Stop ignored -> {
            }
        }
        this.message = List.copyOf(parts);
        this.watches = List.copyOf(watched);
        boolean targetCode = condition != null && condition.mayRunTargetCode();
        for (MessagePart part : message) {
            targetCode |= part instanceof MessagePart.Expression e && e.expression().mayRunTargetCode();
        }
        for (CompiledExpression watch : watches) {
            targetCode |= watch.mayRunTargetCode();
        }
        this.runsTargetCode = targetCode && options.allowInvoke();
    }

    public int id() {
        return id;
    }

    public BreakpointOptions options() {
        return options;
    }

    public EvalOptions evalOptions() {
        return evalOptions;
    }

    /** A hit always stops the target and nothing needs evaluating. */
    public boolean plainStop() {
        return options.plainStop();
    }

    /** Evaluating this breakpoint's expressions may run code in the target, so it must not happen on the event thread. */
    public boolean runsTargetCode() {
        return runsTargetCode;
    }

    public CompiledExpression condition() {
        return condition;
    }

    public List<MessagePart> message() {
        return message;
    }

    public List<CompiledExpression> watches() {
        return watches;
    }

    /**
     * The locals that the condition and the log message read at the frame's location, fetched in one request at a
     * hit. An expression whose names do not resolve there adds none; evaluating it reports why.
     */
    List<LocalVariable> localsAt(StackFrame frame) {
        Location location = frame.location();
        List<LocalVariable> known = localsByLocation.get(location);
        if (known != null) {
            return known;
        }
        Set<LocalVariable> wanted = new LinkedHashSet<>();
        List<CompiledExpression> expressions = new ArrayList<>();
        if (condition != null) {
            expressions.add(condition);
        }
        for (MessagePart part : message) {
            if (part instanceof MessagePart.Expression expression) {
                expressions.add(expression.expression());
            }
        }
        for (CompiledExpression expression : expressions) {
            try {
                wanted.addAll(expression.localsAt(frame));
            } catch (RuntimeException unresolved) {
                // reported when the expression is evaluated
            }
        }
        return localsByLocation.put(location, List.copyOf(wanted));
    }

    /** Counts a hit whose condition held; returns its number, 1 for the first. */
    long count() {
        return counted.incrementAndGet();
    }

    /** Numbers a snapshot; 1 for the first. */
    long nextCapture() {
        return captures.incrementAndGet();
    }

    /** True the first time only: a failing condition is reported once, not at every hit. */
    boolean firstConditionFailure() {
        return conditionFailed.compareAndSet(false, true);
    }
}
