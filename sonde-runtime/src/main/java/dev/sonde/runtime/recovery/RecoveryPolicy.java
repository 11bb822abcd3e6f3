package dev.sonde.runtime.recovery;

import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.Settings;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs calls with recovery: each error is classified, and its class's {@link RecoveryStrategy} says
 * whether to retry (with exponential backoff and jitter, by Resilience4j's {@link Retry}), answer with
 * the fallback, or fail at once. Backoff values the policy does not set come from the runtime
 * settings and follow their changes.
 *
 * <pre>{@code
 * RecoveryPolicy<Price> prices = recovery.<Price>policy("prices")
 *         .maxAttempts(4)
 *         .fallback(error -> Price.UNKNOWN)
 *         .build();
 * Price price = prices.call(() -> client.price(sku));
 * }</pre>
 *
 * @param <T> the result type of the calls
 */
public final class RecoveryPolicy<T> {

    private final String name;
    private final RuntimeSettings settings;
    private final ErrorClassifier classifier;
    private final Map<ErrorClass, RecoveryStrategy> strategies;
    private final Function<Throwable, ? extends T> fallback;
    private final Integer maxAttempts;
    private final Duration initialBackoff;
    private final RecoveryCounters counters;
    private final Supplier<ScheduledExecutorService> scheduler;
    private volatile BuiltRetry built;

    /** The Resilience4j retry and the settings it was built from: rebuilt when they change. */
    private record BuiltRetry(Settings from, Retry retry) {
    }

    private RecoveryPolicy(Builder<T> builder) {
        this.name = builder.name;
        this.settings = builder.settings;
        this.classifier = builder.classifier;
        this.strategies = new EnumMap<>(builder.strategies);
        this.fallback = builder.fallback;
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = builder.initialBackoff;
        this.counters = builder.counters;
        this.scheduler = builder.scheduler;
    }

    public String name() {
        return name;
    }

    /** Runs the work with recovery; an error that is not recovered is rethrown as it was. */
    public T call(Callable<? extends T> work) throws Exception {
        CallProgress progress = new CallProgress();
        counters.calls.increment();
        try {
            T result = currentRetry().executeCallable(() -> progress.attempt(work));
            progress.succeeded();
            return result;
        } catch (Exception error) {
            return recoverOrThrow(error, progress);
        }
    }

    /** Like {@link #call} for work without checked exceptions. */
    public T get(Supplier<? extends T> work) {
        try {
            return call(work::get);
        } catch (RuntimeException error) {
            throw error;
        } catch (Exception impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /**
     * Runs asynchronous work with recovery: a retry calls {@code work} again after the backoff, on the
     * runtime's retry scheduler thread.
     */
    public CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
        CallProgress progress = new CallProgress();
        counters.calls.increment();
        Supplier<CompletionStage<T>> attempt = () -> progress.attemptAsync(work);
        CompletableFuture<T> result = new CompletableFuture<>();
        currentRetry().executeCompletionStage(scheduler.get(), attempt).whenComplete((value, error) -> {
            if (error == null) {
                progress.succeeded();
                result.complete(value);
                return;
            }
            try {
                result.complete(recoverOrThrow(error, progress));
            } catch (Throwable unrecovered) {
                result.completeExceptionally(unrecovered);
            }
        });
        return result;
    }

    private <E extends Throwable> T recoverOrThrow(E error, CallProgress progress) throws E {
        RecoveryStrategy strategy = strategies.get(classifier.classify(error));
        if (strategy == RecoveryStrategy.FAIL_FAST) {
            counters.failedFast.increment();
            throw error;
        }
        if (strategy == RecoveryStrategy.RETRY) {
            counters.failedAfterRetries.increment();
        }
        if (fallback == null) {
            throw error;
        }
        counters.fallbacks.increment();
        return fallback.apply(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
    }

    private Retry currentRetry() {
        Settings current = settings.current();
        BuiltRetry last = built;
        if (last != null && last.from() == current) {
            return last.retry();
        }
        Duration initial = initialBackoff != null ? initialBackoff : current.get(Setting.RECOVERY_INITIAL_BACKOFF);
        Duration max = current.get(Setting.RECOVERY_MAX_BACKOFF);
        RetryConfig config = RetryConfig.custom()
                .maxAttempts(maxAttempts != null ? maxAttempts : current.get(Setting.RECOVERY_MAX_ATTEMPTS))
                .intervalFunction(IntervalFunction.ofExponentialRandomBackoff(initial,
                        current.get(Setting.RECOVERY_BACKOFF_MULTIPLIER), current.get(Setting.RECOVERY_JITTER),
                        max.compareTo(initial) >= 0 ? max : initial))
                .retryOnException(error -> strategies.get(classifier.classify(error)) == RecoveryStrategy.RETRY)
                .failAfterMaxAttempts(false)
                .build();
        // Two threads may both rebuild after a change; either result is right.
        Retry retry = Retry.of(name, config);
        built = new BuiltRetry(current, retry);
        return retry;
    }

    /** One call's attempts and the time of its first failure, which starts the recovery time. */
    private final class CallProgress {
        private final AtomicInteger attempts = new AtomicInteger();
        private final AtomicLong firstFailureNanos = new AtomicLong(Long.MIN_VALUE);

        T attempt(Callable<? extends T> work) throws Exception {
            attempts.incrementAndGet();
            counters.attempts.increment();
            try {
                return work.call();
            } catch (Exception | Error failure) {
                firstFailureNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime());
                throw failure;
            }
        }

        CompletionStage<T> attemptAsync(Supplier<? extends CompletionStage<T>> work) {
            attempts.incrementAndGet();
            counters.attempts.increment();
            CompletionStage<T> stage;
            try {
                stage = work.get();
            } catch (RuntimeException | Error failure) {
                stage = CompletableFuture.failedFuture(failure);
            }
            return stage.whenComplete((value, error) -> {
                if (error != null) {
                    firstFailureNanos.compareAndSet(Long.MIN_VALUE, System.nanoTime());
                }
            });
        }

        void succeeded() {
            if (attempts.get() <= 1) {
                counters.succeededFirstTry.increment();
                return;
            }
            long now = System.nanoTime();
            counters.recovered.increment();
            counters.recoveryTime.record(now, now - firstFailureNanos.get(), false);
        }
    }

    /** Builds a policy; every setting has a default. */
    public static final class Builder<T> {
        private final String name;
        private final RuntimeSettings settings;
        private final RecoveryCounters counters;
        private final Supplier<ScheduledExecutorService> scheduler;
        private final Map<ErrorClass, RecoveryStrategy> strategies = new EnumMap<>(ErrorClass.class);
        private ErrorClassifier classifier = ErrorClassifier.defaults();
        private Function<Throwable, ? extends T> fallback;
        private Integer maxAttempts;
        private Duration initialBackoff;

        Builder(String name, RuntimeSettings settings, RecoveryCounters counters, Supplier<ScheduledExecutorService> scheduler) {
            this.name = name;
            this.settings = settings;
            this.counters = counters;
            this.scheduler = scheduler;
            strategies.put(ErrorClass.TRANSIENT, RecoveryStrategy.RETRY);
            strategies.put(ErrorClass.PERMANENT, RecoveryStrategy.FAIL_FAST);
            strategies.put(ErrorClass.CANCELLED, RecoveryStrategy.FAIL_FAST);
            strategies.put(ErrorClass.SCOPE_VIOLATION, RecoveryStrategy.FAIL_FAST);
        }

        /** The rules that sort errors; {@link ErrorClassifier#defaults()} unless set. */
        public Builder<T> classifier(ErrorClassifier errorClassifier) {
            this.classifier = errorClassifier;
            return this;
        }

        /** What to do about errors of a class; by default TRANSIENT ones are retried and the others fail fast. */
        public Builder<T> on(ErrorClass errorClass, RecoveryStrategy strategy) {
            strategies.put(errorClass, strategy);
            return this;
        }

        /** The answer when retries run out or an error's strategy is FALLBACK. */
        public Builder<T> fallback(Function<Throwable, ? extends T> answer) {
            this.fallback = answer;
            return this;
        }

        /** A fixed fallback value. */
        public Builder<T> fallbackValue(T value) {
            return fallback(error -> value);
        }

        /** Attempts per call, the first included; {@code recovery.maxAttempts} unless set. */
        public Builder<T> maxAttempts(int attempts) {
            this.maxAttempts = Setting.RECOVERY_MAX_ATTEMPTS.check(attempts);
            return this;
        }

        /** Wait before the first retry; {@code recovery.initialBackoff} unless set. */
        public Builder<T> initialBackoff(Duration backoff) {
            this.initialBackoff = Setting.RECOVERY_INITIAL_BACKOFF.check(backoff);
            return this;
        }

        public RecoveryPolicy<T> build() {
            if (fallback == null && strategies.containsValue(RecoveryStrategy.FALLBACK)) {
                throw new IllegalStateException("Recovery policy '" + name
                        + "' answers some errors with a fallback but has none; call fallback(...) before build().");
            }
            return new RecoveryPolicy<>(this);
        }
    }

    static <T> Builder<T> builder(String name, RuntimeSettings settings, RecoveryCounters counters,
                                  Supplier<ScheduledExecutorService> scheduler) {
        return new Builder<>(name, settings, counters, scheduler);
    }
}
