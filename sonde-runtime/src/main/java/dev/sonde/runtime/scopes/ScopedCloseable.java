package dev.sonde.runtime.scopes;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Any {@link AutoCloseable} made into a scope: closing it exits the scope (checking thread and order)
 * and then closes the wrapped object, once.
 *
 * @param <C> the wrapped object's type
 */
@SuppressWarnings("try") // close() throws what the wrapped object's close() throws, InterruptedException included
public final class ScopedCloseable<C extends AutoCloseable> implements AutoCloseable {

    private final Scope scope;
    private final C closeable;
    private final AtomicBoolean closed = new AtomicBoolean();

    ScopedCloseable(Scope scope, C closeable) {
        this.scope = scope;
        this.closeable = closeable;
    }

    /** The wrapped object. */
    public C get() {
        return closeable;
    }

    /**
     * Exits the scope, then closes the wrapped object unless it was closed before. In STRICT mode a
     * misuse throws {@link ScopeViolationException} and the wrapped object stays open.
     */
    @Override
    public void close() throws Exception {
        scope.close();
        if (closed.compareAndSet(false, true)) {
            closeable.close();
        }
    }
}
