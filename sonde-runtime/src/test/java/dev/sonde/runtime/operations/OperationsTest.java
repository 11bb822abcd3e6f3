package dev.sonde.runtime.operations;

import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.scopes.ViolationKind;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OperationsTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final Scopes scopes = new Scopes(settings);
    private final Operations operations = new Operations(settings, scopes);

    @Test
    void tracksSynchronousOutcomesAndTheirFigures() throws Exception {
        OperationTracker load = operations.tracker("orders.load");

        assertThat(load.track(() -> "order")).isEqualTo("order");
        load.run(() -> sleep(5));
        assertThatThrownBy(() -> load.track(() -> {
            throw new UncheckedIOException(new IOException("disk"));
        })).isInstanceOf(UncheckedIOException.class);
        assertThatThrownBy(() -> load.call(() -> {
            throw new TimeoutException("slow");
        })).isInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> load.run(() -> {
            throw new CancellationException("stop");
        })).isInstanceOf(CancellationException.class);

        OperationStats stats = load.stats();
        assertThat(stats.started()).isEqualTo(5);
        assertThat(stats.completed()).isEqualTo(5);
        assertThat(stats.inFlight()).isZero();
        assertThat(stats.succeeded()).isEqualTo(2);
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.timedOut()).isEqualTo(1);
        assertThat(stats.cancelled()).isEqualTo(1);
        assertThat(stats.failuresByErrorClass()).containsExactly(java.util.Map.entry("java.io.UncheckedIOException", 1L));
        assertThat(stats.window().count()).isEqualTo(5);
        assertThat(stats.window().errorRate()).isEqualTo(0.4);
        assertThat(stats.window().maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(5));
        assertThat(stats.window().p99Nanos()).isLessThanOrEqualTo(stats.window().maxNanos());
        assertThat(operations.recentFailures()).extracting(e -> e.value().outcome())
                .containsExactly(Outcome.FAILED, Outcome.TIMED_OUT, Outcome.CANCELLED);
    }

    @Test
    void theCurrentOperationIsVisibleInsideAndGoneAfter() {
        assertThat(operations.current()).isEmpty();

        String seen = operations.track("outer", () -> operations.track("inner",
                () -> operations.current().orElseThrow().name()));

        assertThat(seen).isEqualTo("inner");
        assertThat(operations.track("outer", () -> operations.current().orElseThrow().name())).isEqualTo("outer");
        assertThat(operations.current()).isEmpty();
    }

    @Test
    void countsOperationsInFlight() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread worker = new Thread(() -> operations.run("batch", () -> {
            started.countDown();
            await(release);
        }));
        worker.start();
        started.await();

        assertThat(operations.tracker("batch").inFlight()).isEqualTo(1);
        assertThat(operations.inFlight()).isEqualTo(1);
        release.countDown();
        worker.join();
        assertThat(operations.inFlight()).isZero();
    }

    @Test
    void tracksACompletableFutureChainToItsEnd() throws Exception {
        CompletableFuture<Integer> quote = operations.trackAsync("quote", () -> CompletableFuture
                .supplyAsync(() -> 20)
                .thenApplyAsync(price -> price * 2)
                .thenCompose(price -> CompletableFuture.supplyAsync(() -> price + 2)));

        assertThat(quote.get(5, TimeUnit.SECONDS)).isEqualTo(42);
        OperationStats stats = operations.tracker("quote").stats();
        assertThat(stats.succeeded()).isEqualTo(1);
        assertThat(stats.inFlight()).isZero();
        assertThat(operations.asyncInFlight(10)).isEmpty();
    }

    @Test
    void asyncFailureCancellationAndTimeOutAreTold() throws Exception {
        CompletableFuture<String> failing = operations.trackAsync("call",
                () -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException("broken");
                }));
        CompletableFuture<String> neverEnds = new CompletableFuture<>();
        CompletableFuture<String> cancelled = operations.trackAsync("call", () -> neverEnds);
        CompletableFuture<String> slow = operations.trackAsync("call", CompletableFuture::new, Duration.ofMillis(50));

        assertThat(operations.asyncInFlight(10)).extracting(InFlightOperation::operation).contains("call");
        cancelled.cancel(true);
        assertThatThrownBy(() -> failing.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> slow.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(TimeoutException.class);

        OperationStats stats = operations.tracker("call").stats();
        assertThat(stats.failed()).isEqualTo(1);
        assertThat(stats.cancelled()).isEqualTo(1);
        assertThat(stats.timedOut()).isEqualTo(1);
        assertThat(stats.failuresByErrorClass()).containsKey("java.lang.IllegalStateException");
        assertThat(neverEnds).as("cancelling the tracked future cancels the work").isCancelled();
        assertThat(operations.asyncInFlight(10)).isEmpty();
    }

    @Test
    void workThatThrowsBeforeReturningAStageEndsTheOperation() {
        CompletableFuture<String> result = operations.trackAsync("eager", () -> {
            throw new IllegalArgumentException("bad id");
        });

        assertThat(result).isCompletedExceptionally();
        assertThat(operations.tracker("eager").stats().failed()).isEqualTo(1);
        assertThat(operations.current()).isEmpty();
    }

    @Test
    void aJdkScopeErrorInAnOperationCountsAsAScopeViolation() {
        assertThatThrownBy(() -> operations.run("confined", () -> {
            throw new WrongThreadException("accessed from another thread");
        })).isInstanceOf(WrongThreadException.class);

        assertThat(scopes.violationsByKind()).containsEntry(ViolationKind.JDK_WRONG_THREAD, 1L);
        assertThat(scopes.recentViolations().get(0).value().scope()).isEqualTo("confined");
    }

    @Test
    void namesPastTheLimitShareOneTracker() {
        settings.set("operations.maxNames", "2");
        operations.tracker("a");
        operations.tracker("b");

        assertThat(operations.tracker("c").name()).isEqualTo(Operations.OVERFLOW_NAME);
        assertThat(operations.tracker("d")).isSameAs(operations.tracker("c"));
        assertThat(operations.tracker("a").name()).isEqualTo("a");
    }

    @Test
    void disabledTrackingJustRunsTheWork() {
        settings.set(Setting.OPERATIONS_ENABLED, false);

        assertThat(operations.track("quiet", () -> operations.current().isPresent())).isFalse();
        assertThat(operations.tracker("quiet").stats().started()).isZero();
    }

    @Test
    void aChangedWindowAppliesToExistingTrackers() {
        OperationTracker tracker = operations.tracker("resized");
        tracker.run(() -> { });

        settings.set("operations.window", "30s");

        assertThat(tracker.stats().window().window()).isEqualTo(Duration.ofSeconds(30));
        assertThat(tracker.stats().window().count()).isZero();
        assertThat(tracker.stats().succeeded()).isEqualTo(1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
