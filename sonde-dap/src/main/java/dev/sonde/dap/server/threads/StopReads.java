package dev.sonde.dap.server.threads;

import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.Session;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * What every client reads right after a stop: the stopped thread's stack and its top frame's locals. They are
 * read as the stop is reported, on the backend's own event thread, where reads need no hand-off to another
 * thread, and while the client is still taking in the stopped event; requests for them then find them ready.
 * Kept until the target resumes; locals are dropped earlier when an evaluation may have changed them.
 */
public final class StopReads {

    /** @param topLocals null once they may have changed */
    private record Reads(long threadId, CompletableFuture<List<Frame>> frames, CompletableFuture<List<Variable>> topLocals) {
    }

    private volatile Reads current;

    /** Announces the reads of a stop, before the client hears of it; {@link #read} makes them. */
    public void expect(long threadId) {
        current = new Reads(threadId, new CompletableFuture<>(), new CompletableFuture<>());
    }

    /** Makes the announced reads. Call on the thread that delivered the stop. */
    public void read(Session session) {
        Reads reads = current;
        if (reads == null) {
            return;
        }
        session.async().stackTrace(reads.threadId(), 0, Integer.MAX_VALUE).whenComplete(complete(reads.frames()));
        if (reads.topLocals() != null) {
            session.async().variables(reads.threadId(), 0, 0).whenComplete(complete(reads.topLocals()));
        }
    }

    /** The whole stack of a stopped thread. */
    public CompletableFuture<List<Frame>> frames(Session session, long threadId) {
        Reads reads = current;
        return reads != null && reads.threadId() == threadId ? reads.frames() : session.async().stackTrace(threadId, 0, Integer.MAX_VALUE);
    }

    /** The locals of a frame of a stopped thread. */
    public CompletableFuture<List<Variable>> locals(Session session, long threadId, int frameIndex) {
        Reads reads = current;
        return reads != null && reads.threadId() == threadId && frameIndex == 0 && reads.topLocals() != null
                ? reads.topLocals() : session.async().variables(threadId, frameIndex, 0);
    }

    /** Drops the locals read, which an evaluation or assignment may have changed. */
    public void localsChanged() {
        Reads reads = current;
        if (reads != null) {
            current = new Reads(reads.threadId(), reads.frames(), null);
        }
    }

    /** Drops everything; called when the target resumes. */
    public void clear() {
        current = null;
    }

    private static <T> java.util.function.BiConsumer<T, Throwable> complete(CompletableFuture<T> into) {
        return (value, failure) -> {
            if (failure != null) {
                into.completeExceptionally(failure);
            } else {
                into.complete(value);
            }
        };
    }
}
