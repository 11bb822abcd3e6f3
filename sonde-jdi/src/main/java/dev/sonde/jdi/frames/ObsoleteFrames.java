package dev.sonde.jdi.frames;

import com.sun.jdi.Method;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The names of methods that frames still run after hot code replace made them obsolete: JDI calls every obsolete
 * method {@code <obsolete>}, so the names are noted at the replace. A frame is known by its thread and its height
 * (1 at the bottom of the stack), which do not change while it lives; a new call never runs obsolete code, so an
 * obsolete method at a noted height is the frame noted there.
 */
public final class ObsoleteFrames {

    private final Map<Long, Map<Integer, String>> names = new ConcurrentHashMap<>();

    /** Notes the name of the method the frame at {@code height} of a thread runs, before it becomes obsolete. */
    public void remember(long threadId, int height, String methodName) {
        names.computeIfAbsent(threadId, id -> new ConcurrentHashMap<>()).put(height, methodName);
    }

    /** The method's name, or, for an obsolete one, the name noted for the frame at {@code height}. */
    public String name(long threadId, int height, Method method) {
        if (!method.isObsolete()) {
            return method.name();
        }
        Map<Integer, String> thread = names.get(threadId);
        String noted = thread == null ? null : thread.get(height);
        return noted == null ? method.name() : noted;
    }

    /** A thread has ended. */
    public void forget(long threadId) {
        names.remove(threadId);
    }
}
