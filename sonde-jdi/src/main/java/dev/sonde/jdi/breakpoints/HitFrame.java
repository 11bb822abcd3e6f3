package dev.sonde.jdi.breakpoints;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.ClassNotLoadedException;
import com.sun.jdi.InvalidTypeException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.Location;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import com.sun.jdi.Value;
import com.sun.jdi.VirtualMachine;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The top frame at one breakpoint hit, reading the locals that the hit's expressions need in one round trip the
 * first time any is asked for: a condition and a log message's expressions, each reading its own locals, then cost
 * one read between them, and no more values than they use (each object value read costs the target a reference).
 * Only for expressions that run no code in the target (a call would move the thread and make these values stale).
 */
final class HitFrame implements StackFrame {

    private final StackFrame frame;
    private final List<LocalVariable> wanted;
    private Map<LocalVariable, Value> locals;

    /** @param wanted the locals to read together at the first request for any */
    HitFrame(StackFrame frame, List<LocalVariable> wanted) {
        this.frame = frame;
        this.wanted = wanted;
    }

    private Map<LocalVariable, Value> locals() {
        if (locals == null) {
            locals = wanted.isEmpty() ? Map.of() : new HashMap<>(frame.getValues(wanted));
        }
        return locals;
    }

    @Override
    public Value getValue(LocalVariable variable) {
        Map<LocalVariable, Value> read = locals();
        return read.containsKey(variable) ? read.get(variable) : frame.getValue(variable);
    }

    @Override
    public Map<LocalVariable, Value> getValues(List<? extends LocalVariable> variables) {
        Map<LocalVariable, Value> read = locals();
        if (!read.keySet().containsAll(variables)) {
            return frame.getValues(variables);
        }
        Map<LocalVariable, Value> wanted = new HashMap<>(variables.size() * 2);
        for (LocalVariable variable : variables) {
            wanted.put(variable, read.get(variable));
        }
        return wanted;
    }

    @Override
    public void setValue(LocalVariable variable, Value value) throws InvalidTypeException, ClassNotLoadedException {
        frame.setValue(variable, value);
        locals = null;
    }

    @Override
    public Location location() {
        return frame.location();
    }

    @Override
    public ThreadReference thread() {
        return frame.thread();
    }

    @Override
    public ObjectReference thisObject() {
        return frame.thisObject();
    }

    @Override
    public List<LocalVariable> visibleVariables() throws AbsentInformationException {
        return frame.visibleVariables();
    }

    @Override
    public LocalVariable visibleVariableByName(String name) throws AbsentInformationException {
        return frame.visibleVariableByName(name);
    }

    @Override
    public List<Value> getArgumentValues() {
        return frame.getArgumentValues();
    }

    @Override
    public VirtualMachine virtualMachine() {
        return frame.virtualMachine();
    }
}
