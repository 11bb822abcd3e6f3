package dev.sonde.jdi.operations;

import com.sun.jdi.ThreadReference;
import com.sun.jdi.VMDisconnectedException;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.jdi.asyncstacks.AsyncStackReader;

/**
 * What a stop says besides where: the first hand-off behind the stopped thread's work and the sonde-runtime operations
 * and scopes open on it, read with field reads while the thread is held. A read that fails leaves the stop without it.
 */
public final class StopContexts {

    private static final System.Logger LOG = System.getLogger(StopContexts.class.getName());

    private final AsyncStackReader asyncStacks;
    private final OperationReader operations;

    public StopContexts(AsyncStackReader asyncStacks, OperationReader operations) {
        this.asyncStacks = asyncStacks;
        this.operations = operations;
    }

    public OperationReader operations() {
        return operations;
    }

    /** The stop with the context of {@code thread}, the thread it stopped (null: the stop as it is). */
    public Event.Stopped add(Event.Stopped stop, ThreadReference thread) {
        if (thread == null) {
            return stop;
        }
        AsyncSegment async = null;
        try {
            async = asyncStacks.first(thread);
        } catch (VMDisconnectedException gone) {
            throw gone;
        } catch (RuntimeException unreadable) {
            LOG.log(System.Logger.Level.DEBUG, "first hand-off of a stop", unreadable);
        }
        RuntimeContext runtime = operations.read(thread);
        if (async == null && runtime.isEmpty()) {
            return stop;
        }
        return new Event.Stopped(stop.reason(), stop.thread(), stop.location(), stop.breakpointIds(), stop.allThreads(), stop.detail(),
                async, runtime);
    }
}
