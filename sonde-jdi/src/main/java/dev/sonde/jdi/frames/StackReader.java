package dev.sonde.jdi.frames;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.LocalVariable;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StackFrame;
import com.sun.jdi.ThreadReference;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.jdi.values.ValueReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reads stacks and the variables of frames. */
public final class StackReader {

    private final ValueReader values;
    private final ObsoleteFrames obsolete;

    /** A reader for stacks that hot code replace does not touch (snapshots read at once). */
    public StackReader(ValueReader values) {
        this(values, new ObsoleteFrames());
    }

    public StackReader(ValueReader values, ObsoleteFrames obsolete) {
        this.values = values;
        this.obsolete = obsolete;
    }

    /** Frames {@code start .. start+count-1} (fewer when the stack is shorter), 0 at the top. */
    public List<Frame> frames(ThreadReference thread, int start, int count) throws com.sun.jdi.IncompatibleThreadStateException {
        if (start < 0) {
            throw SondeException.invalidInput("There is no frame " + start + "; frames are numbered from 0 (the top).");
        }
        if (count < 0) {
            throw SondeException.invalidInput("Cannot read " + count + " frames; ask for 0 or more.");
        }
        List<StackFrame> frames;
        int total;
        if (start == 0 && count == Integer.MAX_VALUE) {
            frames = thread.frames();
            total = frames.size();
        } else {
            total = thread.frameCount();
            if (start >= total) {
                return List.of();
            }
            frames = thread.frames(start, Math.min(count, total - start));
        }
        List<Frame> result = new ArrayList<>(frames.size());
        for (int i = 0; i < frames.size(); i++) {
            com.sun.jdi.Location location = frames.get(i).location();
            Location where = Locations.of(location);
            if (location.method().isObsolete()) {
                where = new Location(where.className(), obsolete.name(thread.uniqueID(), total - start - i, location.method()), where.file(), where.line());
            }
            result.add(new Frame(start + i, where, location.method().isNative()));
        }
        return result;
    }

    /** One frame of a suspended thread, with a clear error when the index is out of range. */
    public StackFrame frame(ThreadReference thread, int index) throws com.sun.jdi.IncompatibleThreadStateException {
        try {
            // JDI serves this from the frames it already read at this stop; counting first would cost a round trip.
            return thread.frame(index);
        } catch (IndexOutOfBoundsException e) {
            int total = thread.frameCount();
            throw SondeException.notFound("There is no frame " + index + "; the stack has " + total + " frame"
                    + (total == 1 ? "" : "s") + " (0 is the top).");
        }
    }

    /** {@code this}, then the arguments, then the visible locals of a frame, read to {@code depth}. */
    public List<Variable> variables(StackFrame frame, int depth) {
        List<Variable> variables = new ArrayList<>();
        ObjectReference self = frame.location().method().isStatic() || frame.location().method().isNative() ? null : frame.thisObject();
        if (self != null) {
            variables.add(new Variable("this", self.referenceType().name(), values.read(self, null, depth), VariableKind.THIS));
        }
        try {
            List<LocalVariable> visible = frame.visibleVariables();
            if (!visible.isEmpty()) {
                Map<LocalVariable, com.sun.jdi.Value> read = frame.getValues(visible);
                for (LocalVariable local : visible) {
                    variables.add(new Variable(local.name(), local.typeName(), values.read(read.get(local), local.typeName(), depth),
                            local.isArgument() ? VariableKind.ARGUMENT : VariableKind.LOCAL));
                }
            }
        } catch (AbsentInformationException e) {
            // Compiled without -g: argument values are there, their names are not.
            List<com.sun.jdi.Value> arguments = frame.getArgumentValues();
            for (int i = 0; i < arguments.size(); i++) {
                variables.add(new Variable("arg" + i, null, values.read(arguments.get(i), null, depth), VariableKind.ARGUMENT));
            }
        }
        return variables;
    }
}
