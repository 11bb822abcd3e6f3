package dev.sonde.jdi.breakpoints;

import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidStackFrameException;
import com.sun.jdi.PrimitiveValue;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.event.LocatableEvent;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.FrameLocals;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.WatchResult;
import dev.sonde.jdi.JdiErrors;
import dev.sonde.jdi.eval.Evaluated;
import dev.sonde.jdi.frames.Locations;
import dev.sonde.jdi.frames.StackReader;
import dev.sonde.jdi.values.ValueReader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntConsumer;

/**
 * What a hit of a breakpoint with a condition, a hit count, a log message or a snapshot does: evaluate, count,
 * log or capture, and say whether the target stops. The thread stays held only while this runs.
 */
public final class BreakpointHits {

    /** The outcome of a hit. */
    public sealed interface Decision {
        /** The target stops for this breakpoint. */
        record Stop(int breakpointId) implements Decision {
        }

        /** The thread goes on. */
        record GoOn() implements Decision {
        }
    }

    private static final Decision GO_ON = new Decision.GoOn();

    private final ValueReader detachedValues;
    private final StackReader detachedStacks;
    private final Function<ThreadReference, ThreadInfo> threads;
    private final Consumer<Event> events;
    private final IntConsumer remove;
    private final boolean stopOnConditionError;
    private final int snapshotDepth;
    private final BiPredicate<ThreadReference, String> inOperation;

    /**
     * @param detachedValues reads values for logs and snapshots: they outlive the stop, so they keep no refs
     * @param remove         removes a breakpoint that has done its work and reports it
     * @param inOperation    whether a sonde-runtime operation of the name is open on the held thread
     */
    public BreakpointHits(ValueReader detachedValues, Function<ThreadReference, ThreadInfo> threads, Consumer<Event> events,
                          IntConsumer remove, boolean stopOnConditionError, int snapshotDepth, BiPredicate<ThreadReference, String> inOperation) {
        this.inOperation = inOperation;
        this.detachedValues = detachedValues;
        this.detachedStacks = new StackReader(detachedValues);
        this.threads = threads;
        this.events = events;
        this.remove = remove;
        this.stopOnConditionError = stopOnConditionError;
        this.snapshotDepth = snapshotDepth;
    }

    public Decision hit(HitPolicy policy, LocatableEvent event) {
        ThreadReference thread = event.thread();
        String operation = policy.options().operation();
        if (operation != null && !inOperation.test(thread, operation)) {
            // Outside the operation the hit does not count, like a hit whose condition is false.
            return GO_ON;
        }
        HeldTop top = new HeldTop(policy, thread);
        if (policy.condition() != null && !conditionHolds(policy, top)) {
            return GO_ON;
        }
        long number = policy.count();
        HitCondition hits = policy.options().hitCondition();
        if (hits != null && !hits.passes(number)) {
            return GO_ON;
        }
        return switch (policy.options().action()) {
            case BreakpointAction.Stop ignored -> new Decision.Stop(policy.id());
            case BreakpointAction.Log ignored -> {
                // Code run in the target by the condition leaves the frames read before it stale.
                if (policy.condition() != null && policy.condition().mayRunTargetCode()) {
                    top.stale();
                }
                log(policy, top);
                doneIfTemporary(policy);
                yield GO_ON;
            }
            case BreakpointAction.Snapshot snapshot -> {
                capture(policy, snapshot, top);
                yield GO_ON;
            }
        };
    }

    private static HitFrame hitFrame(HitPolicy policy, StackFrame frame) {
        return new HitFrame(frame, policy.localsAt(frame));
    }

    private boolean conditionHolds(HitPolicy policy, HeldTop top) {
        try {
            return top.read(frame -> policy.condition().evaluate(frame, policy.evalOptions())).isTrue();
        } catch (RuntimeException failure) {
            SondeException error = JdiErrors.translate(failure);
            if (policy.firstConditionFailure()) {
                events.accept(new Event.Error("The condition `" + policy.condition().source() + "` of breakpoint " + policy.id()
                        + " cannot be evaluated (" + error.getMessage() + "); "
                        + (stopOnConditionError ? "it stops at every hit until you fix it." : "it counts as false.")));
            }
            return stopOnConditionError;
        }
    }

    private void log(HitPolicy policy, HeldTop top) {
        StringBuilder message = new StringBuilder();
        for (HitPolicy.MessagePart part : policy.message()) {
            switch (part) {
                case HitPolicy.MessagePart.Text text -> message.append(text.text());
                case HitPolicy.MessagePart.Expression expression -> {
                    try {
                        message.append(text(top.read(frame -> expression.expression().evaluate(frame, policy.evalOptions()))));
                    } catch (RuntimeException failure) {
                        message.append('<').append(JdiErrors.translate(failure).getMessage()).append('>');
                    }
                    if (expression.expression().mayRunTargetCode() && policy.evalOptions().allowInvoke()) {
                        top.stale();
                    }
                }
            }
        }
        events.accept(new Event.Output(OutputCategory.LOG, message.append(System.lineSeparator()).toString(), policy.id()));
    }

    /** A value as it reads in a message: strings and numbers as themselves, objects as Sonde shows them. */
    private String text(Evaluated evaluated) {
        if (evaluated.text() != null) {
            return evaluated.text();
        }
        return switch (evaluated.value()) {
            case null -> "null";
            case StringReference string -> string.value();
            case PrimitiveValue primitive -> String.valueOf(((dev.sonde.core.model.Value.Primitive)
                    detachedValues.read(primitive, evaluated.typeName(), 0)).value());
            default -> detachedValues.read(evaluated.value(), evaluated.typeName(), 0).render();
        };
    }

    /** The thread's stack and the locals of its top frames, as a snapshot has them. */
    private record Captured(List<Frame> stack, List<FrameLocals> locals) {
    }

    private Captured stackAndLocals(ThreadReference thread, int localFrames) throws IncompatibleThreadStateException {
        List<StackFrame> frames = thread.frames();
        List<Frame> stack = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            com.sun.jdi.Location location = frames.get(i).location();
            stack.add(new Frame(i, Locations.of(location), location.method().isNative()));
        }
        List<FrameLocals> locals = new ArrayList<>();
        for (int i = 0; i < Math.min(localFrames, frames.size()); i++) {
            locals.add(new FrameLocals(i, detachedStacks.variables(frames.get(i), snapshotDepth)));
        }
        return new Captured(stack, locals);
    }

    private void capture(HitPolicy policy, BreakpointAction.Snapshot snapshot, HeldTop top) {
        ThreadReference thread = top.thread;
        Captured captured;
        try {
            try {
                captured = stackAndLocals(thread, snapshot.frames());
            } catch (InvalidStackFrameException resumed) {
                if (!top.mayReadAgain()) {
                    throw resumed;
                }
                captured = stackAndLocals(thread, snapshot.frames());
            }
        } catch (IncompatibleThreadStateException e) {
            return;
        }
        List<Frame> stack = captured.stack();
        List<FrameLocals> locals = captured.locals();
        List<WatchResult> watches = new ArrayList<>(policy.watches().size());
        for (var watch : policy.watches()) {
            try {
                Evaluated evaluated = top.read(frame -> watch.evaluate(frame, policy.evalOptions()));
                watches.add(WatchResult.of(watch.source(), evaluated.text() != null
                        ? new dev.sonde.core.model.Value.Text("java.lang.String", 0, evaluated.text(), evaluated.text().length())
                        : detachedValues.read(evaluated.value(), evaluated.typeName(), snapshotDepth)));
            } catch (RuntimeException failure) {
                watches.add(WatchResult.failed(watch.source(), JdiErrors.translate(failure).getMessage()));
            }
            if (watch.mayRunTargetCode() && policy.evalOptions().allowInvoke()) {
                top.stale();
            }
        }
        long sequence = policy.nextCapture();
        events.accept(new Event.Snapshot(policy.id(), sequence, Instant.now(), threads.apply(thread), stack, locals, watches));
        if (snapshot.max() > 0 && sequence >= snapshot.max()) {
            remove.accept(policy.id());
        } else {
            doneIfTemporary(policy);
        }
    }

    private void doneIfTemporary(HitPolicy policy) {
        if (policy.options().temporary()) {
            remove.accept(policy.id());
        }
    }

    /**
     * The hit thread's top frame, read when first needed and again after code ran in the target. A read that finds the
     * frame gone because something resumed the thread meanwhile (JDI then forgets every frame it read; a suspension by
     * another part of the debugger is counted, so the event still holds the thread) is made once more on a fresh frame,
     * when the hit runs no code in the target, so doing it again changes nothing.
     */
    private static final class HeldTop {
        private final HitPolicy policy;
        private final ThreadReference thread;
        private StackFrame frame;

        HeldTop(HitPolicy policy, ThreadReference thread) {
            this.policy = policy;
            this.thread = thread;
        }

        StackFrame frame() {
            if (frame == null) {
                frame = policy.runsTargetCode() ? top(thread) : hitFrame(policy, top(thread));
            }
            return frame;
        }

        /** Forgets the frame: code ran in the target since it was read. */
        void stale() {
            frame = null;
        }

        /** Whether a read that failed with a frame gone may be made again: the hit runs no target code and the thread is still held. */
        boolean mayReadAgain() {
            return !policy.runsTargetCode() && thread.isSuspended();
        }

        <T> T read(Function<StackFrame, T> reading) {
            try {
                return reading.apply(frame());
            } catch (InvalidStackFrameException resumed) {
                if (!mayReadAgain()) {
                    throw resumed;
                }
                stale();
                return reading.apply(frame());
            }
        }
    }

    private static StackFrame top(ThreadReference thread) {
        try {
            return thread.frame(0);
        } catch (IncompatibleThreadStateException e) {
            throw SondeException.badState("The thread that hit the breakpoint is not held any more.");
        }
    }
}
