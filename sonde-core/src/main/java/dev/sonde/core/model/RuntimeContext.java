package dev.sonde.core.model;

import java.util.List;

/**
 * What sonde-runtime knows about a stopped thread: the operations and the scopes open on it, innermost first. Empty
 * when the target does not use sonde-runtime, or the thread runs outside any operation and scope.
 */
public record RuntimeContext(List<OpenOperation> operations, List<String> scopes) {

    public static final RuntimeContext NONE = new RuntimeContext(List.of(), List.of());

    public RuntimeContext {
        operations = List.copyOf(operations);
        scopes = List.copyOf(scopes);
    }

    public boolean isEmpty() {
        return operations.isEmpty() && scopes.isEmpty();
    }

    /** The operation the stopped code runs in directly, or null. */
    public OpenOperation operation() {
        return operations.isEmpty() ? null : operations.get(0);
    }

    /** Whether an operation of that name is open on the thread, innermost or enclosing. */
    public boolean inOperation(String name) {
        return operations.stream().anyMatch(open -> open.name().equals(name));
    }
}
