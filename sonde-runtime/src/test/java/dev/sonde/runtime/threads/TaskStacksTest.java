package dev.sonde.runtime.threads;

import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.resources.tasks.TaskExecutors;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Wrapped executors and {@code trackAsync} record where work was handed off when {@code tasks.captureStacks} is on. */
class TaskStacksTest {

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
    void offByDefaultNothingIsRecorded() throws Exception {
        assertThat(settings.get(Setting.TASKS_CAPTURE_STACKS)).isEqualTo(StackCapture.OFF);
        ExecutorService pool = pool("off");

        assertThat(pool.submit(TaskStacks::current).get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void aTaskSeesWhereItWasSubmittedWhileItRunsAndTheWorkerForgetsItAfter() throws Exception {
        settings.set("tasks.captureStacks", "ALL");
        ExecutorService pool = pool("all");

        TaskStacks.HandOff handOff = pool.submit(TaskStacks::current).get(5, TimeUnit.SECONDS);

        assertThat(handOff).isNotNull();
        assertThat(handOff.kind()).isEqualTo("submit");
        assertThat(handOff.threadName()).isEqualTo(Thread.currentThread().getName());
        assertThat(handOff.parent()).isNull();
        assertThat(handOff.frames()[0]).as("the runtime's own frames are left out")
                .startsWith("java.util.concurrent.AbstractExecutorService.submit@");
        assertThat(Arrays.asList(handOff.frames())).noneMatch(frame -> frame.startsWith("dev.sonde.runtime.resources."))
                .anyMatch(frame -> frame.startsWith(TaskStacksTest.class.getName() + ".aTaskSeesWhereItWasSubmitted"));
        assertThat(pool.submit(() -> TaskStacks.current() == handOff).get(5, TimeUnit.SECONDS)).isFalse();
    }

    @Test
    void executeOnAWrappedExecutorIsNamedExecuteAndKeepsAtMostMaxDepthFrames() throws Exception {
        settings.set("tasks.captureStacks", "ALL");
        settings.set("stacks.maxDepth", "3");
        ExecutorService delegate = Executors.newSingleThreadExecutor();
        started.add(delegate);
        Executor executor = tasks.wrap("plain", (Executor) delegate);
        CompletableFuture<TaskStacks.HandOff> seen = new CompletableFuture<>();

        executor.execute(() -> seen.complete(TaskStacks.current()));

        TaskStacks.HandOff handOff = seen.get(5, TimeUnit.SECONDS);
        assertThat(handOff.kind()).isEqualTo("execute");
        assertThat(handOff.frames()).hasSize(3);
        assertThat(handOff.frames()[0]).startsWith(TaskStacksTest.class.getName() + ".executeOnAWrappedExecutor");
    }

    @Test
    void aTaskSubmittedFromATrackedTaskChainsToItsHandOff() throws Exception {
        settings.set("tasks.captureStacks", "ALL");
        ExecutorService outer = pool("outer");
        ExecutorService inner = pool("inner");

        TaskStacks.HandOff[] seen = outer.submit(() -> {
            TaskStacks.HandOff mine = TaskStacks.current();
            return new TaskStacks.HandOff[] {mine, inner.submit(TaskStacks::current).get(5, TimeUnit.SECONDS)};
        }).get(5, TimeUnit.SECONDS);

        assertThat(seen[1].parent()).isSameAs(seen[0]);
        assertThat(seen[1].depth()).isEqualTo(2);
        assertThat(seen[1].threadName()).isEqualTo("outer-worker");
    }

    @Test
    void trackAsyncIsAHandOffThatTheWorksTasksChainToWithoutRepeatingItsFrames() throws Exception {
        settings.set("tasks.captureStacks", "ALL");
        ExecutorService pool = pool("async");

        TaskStacks.HandOff handOff = operations.trackAsync("orders.load",
                () -> CompletableFuture.supplyAsync(TaskStacks::current, pool)).get(5, TimeUnit.SECONDS);

        assertThat(handOff.kind()).isEqualTo("supplyAsync");
        assertThat(Arrays.asList(handOff.frames())).noneMatch(frame -> frame.contains(".trackAsyncIsAHandOff@"))
                .noneMatch(frame -> frame.startsWith("dev.sonde.runtime.operations."));
        TaskStacks.HandOff operation = handOff.parent();
        assertThat(operation.kind()).isEqualTo("trackAsync(\"orders.load\")");
        assertThat(operation.frames()[0]).startsWith(TaskStacksTest.class.getName() + ".trackAsyncIsAHandOff");
        assertThat(operation.parent()).isNull();
        assertThat(TaskStacks.current()).as("the operation is no hand-off of the calling thread itself").isNull();
    }

    @Test
    void chainsAreCutAtTheHandOffDepth() throws Exception {
        settings.set("tasks.captureStacks", "ALL");
        settings.set("tasks.handOffDepth", "3");
        ExecutorService pool = Executors.newCachedThreadPool();
        started.add(pool);
        ExecutorService wrapped = tasks.wrap("deep", pool);

        TaskStacks.HandOff deepest = wrapped.submit(() -> nest(wrapped, 6)).get(10, TimeUnit.SECONDS);

        assertThat(deepest.depth()).isEqualTo(3);
        assertThat(deepest.parent().parent().parent()).isNull();
    }

    @Test
    void sampledWithIntervalOneRecordsEveryTaskAndTurningItOffStops() throws Exception {
        settings.apply(java.util.Map.of("tasks.captureStacks", "sampled", "stacks.samplingInterval", "1"));
        ExecutorService pool = pool("sampled");
        assertThat(pool.submit(TaskStacks::current).get(5, TimeUnit.SECONDS)).isNotNull();

        settings.set(Setting.TASKS_CAPTURE_STACKS, StackCapture.OFF);
        assertThat(pool.submit(TaskStacks::current).get(5, TimeUnit.SECONDS)).isNull();
    }

    @Test
    void invalidValuesAreRefusedInOneSentence() {
        assertThatThrownBy(() -> settings.set("tasks.captureStacks", "sometimes"))
                .hasMessage("Setting 'tasks.captureStacks' must be one of OFF, SAMPLED, ALL, not 'sometimes'.");
        assertThatThrownBy(() -> settings.set("tasks.handOffDepth", "0"))
                .hasMessage("Setting 'tasks.handOffDepth' must be a whole number from 1 to 64, not '0'.");
        assertThat(settings.get(Setting.TASKS_HAND_OFF_DEPTH)).isEqualTo(8);
    }

    private static TaskStacks.HandOff nest(ExecutorService executor, int levels) throws Exception {
        if (levels == 0) {
            return TaskStacks.current();
        }
        return executor.submit(() -> nest(executor, levels - 1)).get(10, TimeUnit.SECONDS);
    }

    private ExecutorService pool(String name) {
        ExecutorService pool = Executors.newSingleThreadExecutor(task -> new Thread(task, name + "-worker"));
        started.add(pool);
        return tasks.wrap(name, pool);
    }
}
