package dev.sonde.runtime.resources;

import dev.sonde.runtime.threads.ThreadRef;

import java.lang.ref.Cleaner;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A registered resource's record. Call {@link #close()} when the resource is closed, or
 * {@link #fail} when it ends badly. The handle holds no reference to the resource, so a resource
 * dropped without being closed is garbage collected and reported.
 */
public final class ResourceHandle implements AutoCloseable {

    static final int LIVE = 0;
    static final int CLOSED = 1;
    static final int FAILED = 2;
    static final int COLLECTED = 3;

    private final long id;
    private final String type;
    private final String description;
    private final Instant createdAt;
    private final long createdNanos;
    private final ThreadRef owner;
    private final List<StackTraceElement> allocationStack;
    private final Resources resources;
    private final AtomicInteger state = new AtomicInteger(LIVE);
    private final AtomicBoolean reportedOld = new AtomicBoolean();
    private volatile Cleaner.Cleanable cleanable;

    ResourceHandle(long id, String type, String description, ThreadRef owner, List<StackTraceElement> allocationStack,
                   Resources resources) {
        this.id = id;
        this.type = type;
        this.description = description;
        this.createdAt = Instant.now();
        this.createdNanos = System.nanoTime();
        this.owner = owner;
        this.allocationStack = allocationStack;
        this.resources = resources;
    }

    void watch(Cleaner.Cleanable whenCollected) {
        this.cleanable = whenCollected;
    }

    public long id() {
        return id;
    }

    public String type() {
        return type;
    }

    public String description() {
        return description;
    }

    public Instant createdAt() {
        return createdAt;
    }

    public Duration age() {
        return Duration.ofNanos(System.nanoTime() - createdNanos);
    }

    /** {@link System#nanoTime()} at registration: the older the resource, the smaller. */
    long createdNanos() {
        return createdNanos;
    }

    public ThreadRef owner() {
        return owner;
    }

    public List<StackTraceElement> allocationStack() {
        return allocationStack;
    }

    public boolean isOpen() {
        return state.get() == LIVE;
    }

    /** The resource was closed normally; later calls do nothing. */
    @Override
    public void close() {
        end(CLOSED);
    }

    /** The resource ended badly (for a session: it failed); later calls do nothing. */
    public void fail() {
        end(FAILED);
    }

    private void end(int how) {
        if (state.compareAndSet(LIVE, how)) {
            resources.ended(this, how);
            cleanable.clean();
        }
    }

    /** Run by the cleaner when the resource is garbage collected (or after {@link #close}, when it does nothing). */
    void collected() {
        if (state.compareAndSet(LIVE, COLLECTED)) {
            resources.ended(this, COLLECTED);
        }
    }

    boolean markReportedOld() {
        return reportedOld.compareAndSet(false, true);
    }

    LiveResource toLive() {
        return new LiveResource(id, type, description, createdAt, age(), owner, allocationStack);
    }

    ResourceLeak toLeak(LeakReason reason) {
        return new ResourceLeak(Instant.now(), id, type, description, reason, age(), owner, allocationStack);
    }
}
