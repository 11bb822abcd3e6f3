package dev.sonde.runtime.resources.tasks;

import dev.sonde.runtime.operations.OperationContext;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.scopes.ScopeViolation;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskExecutorsTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final Scopes scopes = new Scopes(settings);
    private final Operations operations = new Operations(settings, scopes);
    private final TaskExecutors tasks = new TaskExecutors(settings, operations, scopes);
    private final List<ExecutorService> started = new ArrayList<>();

    @AfterEach
    void shutDown() {
        started.forEach(ExecutorService::shutdownNow);
    }

    @Test
    void theCurrentOperationFollowsContinuationsOnPlatformAndVirtualThreads() throws Exception {
        ExecutorService platform = track(tasks.wrap("platform", Executors.newFixedThreadPool(2)));
        ExecutorService virtual = track(tasks.wrap("virtual", Executors.newVirtualThreadPerTaskExecutor()));
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());

        CompletableFuture<String> result = operations.trackAsync("checkout", () -> CompletableFuture
                .supplyAsync(() -> note(seen, "supply"), platform)
                .thenApplyAsync(value -> note(seen, "apply"), virtual)
                .thenComposeAsync(value -> CompletableFuture.supplyAsync(() -> note(seen, "compose"), platform), virtual));

        result.get(5, TimeUnit.SECONDS);
        assertThat(seen).containsExactly("supply:checkout:false", "apply:checkout:true", "compose:checkout:false");
        assertThat(operations.current()).isEmpty();
    }

    @Test
    void workerThreadsForgetTheOperationAfterTheTask() throws Exception {
        ExecutorService single = track(tasks.wrap("single", Executors.newSingleThreadExecutor()));
        operations.run("first", () -> single.execute(() -> { }));

        Optional<OperationContext> later = single.submit(() -> operations.current()).get(5, TimeUnit.SECONDS);

        assertThat(later).isEmpty();
    }

    @Test
    void countsQueuedRunningCompletedAndTimeInQueue() throws Exception {
        ExecutorService single = track(tasks.wrap("single", Executors.newSingleThreadExecutor()));
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        single.execute(() -> {
            running.countDown();
            awaitQuietly(release);
        });
        single.execute(() -> { });
        single.execute(() -> {
            throw new IllegalStateException("task failure");
        });
        running.await();

        ExecutorStats during = onlyStats();
        assertThat(during.running()).isEqualTo(1);
        assertThat(during.queued()).isEqualTo(2);
        Thread.sleep(20);
        release.countDown();
        single.shutdown();
        assertThat(single.awaitTermination(5, TimeUnit.SECONDS)).isTrue();

        ExecutorStats after = onlyStats();
        assertThat(after.queued()).isZero();
        assertThat(after.running()).isZero();
        assertThat(after.completed()).isEqualTo(2);
        assertThat(after.failed()).isEqualTo(1);
        assertThat(after.timeInQueue().count()).isEqualTo(3);
        assertThat(after.timeInQueue().maxNanos()).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(20));
    }

    @Test
    void countsRejectedTasks() {
        ThreadPoolExecutor full = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1));
        ExecutorService bounded = track(tasks.wrap("bounded", full));
        CountDownLatch release = new CountDownLatch(1);
        bounded.execute(() -> awaitQuietly(release));
        bounded.execute(() -> { });

        assertThatThrownBy(() -> bounded.execute(() -> { })).isInstanceOf(RejectedExecutionException.class);

        ExecutorStats stats = onlyStats();
        assertThat(stats.rejected()).isEqualTo(1);
        assertThat(stats.queued() + stats.running()).isEqualTo(2);
        release.countDown();
    }

    @Test
    void scopesATaskLeavesOpenAreReportedAsLeaks() throws Exception {
        ExecutorService pool = track(tasks.wrap("pool", Executors.newSingleThreadExecutor()));

        pool.submit(() -> scopes.enter("forgotten-in-task")).get(5, TimeUnit.SECONDS);
        int openAfterwards = pool.submit(scopes::openCount).get(5, TimeUnit.SECONDS);

        ScopeViolation violation = scopes.recentViolations().get(0).value();
        assertThat(violation).isInstanceOf(ScopeViolation.LeakedScope.class);
        assertThat(((ScopeViolation.LeakedScope) violation).cause()).isEqualTo(ScopeViolation.LeakCause.TASK_ENDED);
        assertThat(violation.describe()).contains("executor 'pool'");
        assertThat(violation.owner().name()).startsWith("pool-");
        assertThat(openAfterwards).isZero();
    }

    private String note(List<String> seen, String step) {
        seen.add(step + ":" + operations.current().map(OperationContext::name).orElse("none") + ":"
                + Thread.currentThread().isVirtual());
        return step;
    }

    private ExecutorStats onlyStats() {
        assertThat(tasks.stats()).hasSize(1);
        return tasks.stats().get(0);
    }

    private ExecutorService track(ExecutorService executor) {
        started.add(executor);
        return executor;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
