package dev.sonde.jdi.values;

import com.sun.jdi.ObjectReference;
import dev.sonde.core.error.SondeException;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects handed out as {@link dev.sonde.core.model.Value#ref()} since the target last stopped.
 * Refs die when the target resumes: the objects may move on, and a stale ref must say so rather than
 * show something else.
 */
public final class ObjectHandles {

    private final Map<Long, ObjectReference> live = new ConcurrentHashMap<>();
    private final boolean remembering;

    /** Handles that can be expanded until the target resumes. */
    public ObjectHandles() {
        this(true);
    }

    private ObjectHandles(boolean remembering) {
        this.remembering = remembering;
    }

    /**
     * Handles for values that outlive the stop they were read at (logpoints, snapshots): nothing is kept, and
     * values carry no ref to expand.
     */
    public static ObjectHandles none() {
        return new ObjectHandles(false);
    }

    /** The ref for an object shown to a user, 0 when values are not to be expanded later. */
    public long register(ObjectReference object) {
        if (!remembering) {
            return 0L;
        }
        long id = object.uniqueID();
        live.putIfAbsent(id, object);
        return id;
    }

    public ObjectReference get(long ref) {
        ObjectReference object = live.get(ref);
        if (object == null) {
            throw SondeException.notFound("Value @" + ref + " is from an earlier stop or was never shown; print it again.");
        }
        return object;
    }

    /** Forgets every handle; called when the target resumes. */
    public void clear() {
        live.clear();
    }
}
