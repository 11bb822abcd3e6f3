package dev.sonde.jdi.eval;

import com.sun.jdi.Field;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.ReferenceType;
import com.sun.jdi.StackFrame;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.List;

/** One evaluation's state: the frame, the locals fetched for it, pattern bindings, and what it created in the target. */
final class Context {

    private final Evaluator evaluator;
    private final EvalOptions options;
    private final ThreadReference thread;
    private final VirtualMachine vm;
    private final Location location;
    private final LocationPlan plan;
    private final Value[] locals;
    private final Operand[] bindings;
    private StackFrame frame;
    /** The frame's depth, found before the first call into the target: a call invalidates the thread's frames. */
    private int frameDepth = -1;
    private boolean frameStale;
    private ObjectReference self;
    private boolean selfRead;
    /** Objects this evaluation created, kept from the garbage collector while later calls run. */
    private List<ObjectReference> pinned;

    Context(Evaluator evaluator, StackFrame frame, LocationPlan plan, EvalOptions options, int bindingCount) {
        this.evaluator = evaluator;
        this.options = options;
        this.frame = frame;
        this.thread = frame.thread();
        this.vm = frame.virtualMachine();
        this.location = frame.location();
        this.plan = plan;
        this.locals = plan.fetchLocals(frame);
        this.bindings = bindingCount == 0 ? null : new Operand[bindingCount];
    }

    Evaluator evaluator() {
        return evaluator;
    }

    VirtualMachine vm() {
        return vm;
    }

    ThreadReference thread() {
        return thread;
    }

    Location location() {
        return location;
    }

    LocationPlan plan() {
        return plan;
    }

    Value local(int index) {
        return locals[index];
    }

    void localChanged(int index, Value value) {
        locals[index] = value;
    }

    Operand binding(int index) {
        return bindings[index];
    }

    void bind(int index, Operand value) {
        bindings[index] = value;
    }

    /** The frame, fetched again if a call into the target has invalidated it. */
    StackFrame frame() {
        if (frameStale) {
            try {
                frame = thread.frame(frameDepth);
            } catch (IncompatibleThreadStateException e) {
                throw SondeException.badState("Thread " + thread.name() + " is running again, so the evaluation cannot go on.");
            }
            frameStale = false;
        }
        return frame;
    }

    /** {@code this} of the frame; null in a static method. */
    ObjectReference thisObject() {
        if (!selfRead) {
            self = frame().thisObject();
            selfRead = true;
        }
        return self;
    }

    /** The object at the end of {@code path} from {@code this}: an enclosing instance of an inner class. */
    ObjectReference holder(List<Field> path) {
        ObjectReference holder = thisObject();
        for (Field enclosing : path) {
            holder = (ObjectReference) holder.getValue(enclosing);
        }
        return holder;
    }

    /** A loaded class by its exact name; a missing one is an error naming it. */
    ReferenceType requireType(String name) {
        ReferenceType type = evaluator.loadedType(vm, name);
        if (type == null) {
            throw SondeException.notFound("The class " + name + " is not loaded in the target yet.");
        }
        return type;
    }

    /** Whether this evaluation may run code in the target. */
    boolean mayInvoke() {
        return options.allowInvoke();
    }

    /** Fails unless this evaluation may run code in the target; {@code what} names the code, such as Order.total. */
    void requireInvoke(String source, String what) {
        if (!options.allowInvoke()) {
            throw Errors.wouldRunCode(source, what);
        }
    }

    /** Runs code in the target on the frame's thread, bounded by the invoke timeout. */
    Value call(String source, String what, TargetCalls.Call call) {
        requireInvoke(source, what);
        if (frameDepth < 0) {
            frameDepth = depthOf(frame);
        }
        frameStale = true;
        return evaluator.calls().run(thread, source, options.invokeTimeout(), call);
    }

    private int depthOf(StackFrame frame) {
        try {
            return thread.frames().indexOf(frame);
        } catch (IncompatibleThreadStateException e) {
            throw SondeException.badState("Thread " + thread.name() + " is running, so no code can run in it for the evaluation.");
        }
    }

    /** A string in the target, for passing or storing a string Sonde computed. */
    StringReference mirror(String text) {
        return pin(vm.mirrorOf(text));
    }

    /** Keeps an object this evaluation created from being collected while later calls of the evaluation run. */
    <T extends ObjectReference> T pin(T created) {
        if (options.allowInvoke()) {
            created.disableCollection();
            if (pinned == null) {
                pinned = new ArrayList<>(2);
            }
            pinned.add(created);
        }
        return created;
    }

    /** Lets the collector have what the evaluation created. */
    void release() {
        if (pinned == null) {
            return;
        }
        for (ObjectReference created : pinned) {
            try {
                created.enableCollection();
            } catch (ObjectCollectedException | VMDisconnectedException gone) {
                // nothing left to release
            }
        }
    }
}
