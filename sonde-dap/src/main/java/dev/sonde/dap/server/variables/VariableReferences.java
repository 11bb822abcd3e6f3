package dev.sonde.dap.server.variables;

import dev.sonde.core.error.SondeException;

import java.util.HashMap;
import java.util.Map;

/** DAP variablesReferences for the containers shown since the target last stopped; they die when it resumes. */
public final class VariableReferences {

    private final Map<Container, Integer> ids = new HashMap<>();
    private final Map<Integer, Container> containers = new HashMap<>();
    // Never reused within a session, so a reference from an earlier stop cannot name a container of this one.
    private int last;

    public synchronized int idOf(Container container) {
        return ids.computeIfAbsent(container, c -> {
            last = last == Integer.MAX_VALUE ? 1 : last + 1;
            containers.put(last, c);
            return last;
        });
    }

    public synchronized Container container(int reference) {
        Container container = containers.get(reference);
        if (container == null) {
            throw SondeException.notFound("Variables reference " + reference
                    + " is not from the current stop; ask for the scopes of a frame again.");
        }
        return container;
    }

    /** Forgets every container; called when the target resumes. */
    public synchronized void clear() {
        ids.clear();
        containers.clear();
    }
}
