package dev.sonde.core.backend;

import dev.sonde.core.error.SondeException;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a backend's requests run: off the caller's thread, so callers never block on the target, except on the
 * backend's own threads (its request threads, where async chains continue, and its event thread, whose subscribers
 * read and resume at each stop). Those are free to wait, and a hand-off to another thread would only add latency
 * to every stop, so there a request runs at once.
 */
public final class BackendRequests implements Executor {

    private static final ThreadLocal<BackendRequests> OWNER = new ThreadLocal<>();

    private final ExecutorService pool;
    private final Function<Throwable, SondeException> translate;
    private final Supplier<String> endedMessage;
    private final BooleanSupplier alsoOwnThread;

    /**
     * @param threadPrefix  the request threads' name, before their number
     * @param translate     turns a failure of a request into the error its caller sees
     * @param endedMessage  the error's sentence for a request made after the session ended
     * @param alsoOwnThread true on a thread of the backend's that {@link #adopt} cannot mark (a library's event thread)
     */
    public BackendRequests(String threadPrefix, Function<Throwable, SondeException> translate, Supplier<String> endedMessage,
                           BooleanSupplier alsoOwnThread) {
        ThreadFactory factory = Thread.ofPlatform().daemon().name(threadPrefix, 1).factory();
        this.pool = Executors.newCachedThreadPool(task -> factory.newThread(() -> {
            OWNER.set(this);
            task.run();
        }));
        this.translate = translate;
        this.endedMessage = endedMessage;
        this.alsoOwnThread = alsoOwnThread;
    }

    /** Marks the calling thread (the backend's event thread) as one of the backend's own. */
    public void adopt() {
        OWNER.set(this);
    }

    public <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (OWNER.get() == this || alsoOwnThread.getAsBoolean()) {
            complete(result, work);
            return result;
        }
        try {
            pool.execute(() -> complete(result, work));
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(SondeException.targetGone(endedMessage.get()));
        }
        return result;
    }

    public CompletableFuture<Void> run(Runnable work) {
        return call(() -> {
            work.run();
            return null;
        });
    }

    /** Runs a task on a request thread, always; throws {@link RejectedExecutionException} once shut down. */
    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Lets running requests finish and refuses new ones. */
    public void shutdown() {
        pool.shutdown();
    }

    /** Interrupts running requests and refuses new ones. */
    public void shutdownNow() {
        pool.shutdownNow();
    }

    private <T> void complete(CompletableFuture<T> result, Callable<T> work) {
        try {
            result.complete(work.call());
        } catch (Throwable t) {
            result.completeExceptionally(translate.apply(t));
        }
    }
}
