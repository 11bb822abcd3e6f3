package dev.sonde.jdi.frames;

import com.sun.jdi.Method;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VoidValue;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.jdi.values.ValueReader;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The value the method a thread just left returned, by thread: caught after a step out and at a method-exit stop,
 * shown first among the top frame's variables until the thread runs again.
 */
public final class ReturnValues {

    private record Caught(Variable variable, ObjectReference pinned) {
    }

    private final ValueReader values;
    private final Map<Long, Caught> byThread = new ConcurrentHashMap<>();

    public ReturnValues(ValueReader values) {
        this.values = values;
    }

    /** Remembers what {@code method} (called {@code methodName}: an obsolete method has lost its name) returned on a thread. An object is kept from garbage collection until forgotten. */
    public void caught(long threadId, Method method, String methodName, com.sun.jdi.Value returned) {
        ObjectReference pinned = null;
        if (returned instanceof ObjectReference object) {
            try {
                object.disableCollection();
                pinned = object;
            } catch (ObjectCollectedException gone) {
                // read below as collected
            }
        }
        Value value = returned instanceof VoidValue ? new Value.Unavailable("void", "void")
                : values.read(returned, method.returnTypeName(), 0);
        String type = method.declaringType().name();
        Variable variable = new Variable("<return> " + type.substring(type.lastIndexOf('.') + 1) + "." + methodName + "()",
                method.returnTypeName(), value, VariableKind.RETURN_VALUE);
        release(byThread.put(threadId, new Caught(variable, pinned)));
    }

    public Optional<Variable> of(long threadId) {
        Caught caught = byThread.get(threadId);
        return caught == null ? Optional.empty() : Optional.of(caught.variable());
    }

    /** The thread runs again: what it returned is no longer where it stands. */
    public void forget(long threadId) {
        release(byThread.remove(threadId));
    }

    public void forgetAll() {
        for (Long threadId : byThread.keySet()) {
            forget(threadId);
        }
    }

    private static void release(Caught caught) {
        if (caught != null && caught.pinned() != null) {
            try {
                caught.pinned().enableCollection();
            } catch (ObjectCollectedException | VMDisconnectedException gone) {
                // nothing left to release
            }
        }
    }
}
