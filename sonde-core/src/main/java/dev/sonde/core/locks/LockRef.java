package dev.sonde.core.locks;

import dev.sonde.core.model.Rendering;

/**
 * A lock object in the target.
 *
 * @param type         the lock object's class name
 * @param id           the target's object id, the same for every mention of this lock
 * @param synchronizer whether it is a {@code java.util.concurrent} lock (an {@code AbstractOwnableSynchronizer},
 *                     such as a {@code ReentrantLock}'s sync) rather than an object's monitor
 */
public record LockRef(String type, long id, boolean synchronizer) {

    /** {@code Locks$Left@312}: the class name without its package, and the id. */
    public String label() {
        return Rendering.simpleName(type) + "@" + id;
    }
}
