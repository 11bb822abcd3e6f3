package dev.sonde.agent.spy;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * An object as a key of the spies' concurrent tables: by identity, held weakly, so an entry goes with its object
 * (the table drains the queue). Looked up with a {@link Lookup}, which holds the object only for the lookup.
 */
final class SondeSpyWeakKey extends WeakReference<Object> {
    private final int hash;

    SondeSpyWeakKey(Object referent, ReferenceQueue<Object> queue) {
        super(referent, queue);
        this.hash = System.identityHashCode(referent);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object other) {
        if (other == this) {
            return true;
        }
        Object mine = get();
        return mine != null && (other instanceof SondeSpyWeakKey key && key.get() == mine || other instanceof Lookup lookup && lookup.target == mine);
    }

    /** An object to look up, held strongly for the moment of the lookup. */
    static final class Lookup {
        private final Object target;

        Lookup(Object target) {
            this.target = target;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(target);
        }

        @Override
        public boolean equals(Object other) {
            return other == this || other instanceof SondeSpyWeakKey key && key.get() == target || other instanceof Lookup lookup && lookup.target == target;
        }
    }
}
