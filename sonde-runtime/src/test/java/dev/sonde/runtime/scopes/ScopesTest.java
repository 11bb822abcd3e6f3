package dev.sonde.runtime.scopes;

import dev.sonde.runtime.Await;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.ScopeMode;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.stats.History;
import dev.sonde.runtime.threads.StackCapture;
import dev.sonde.runtime.threads.ThreadRef;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopesTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final Scopes scopes = new Scopes(settings);

    @Test
    void nestedScopesExitedInOrderAreFine() {
        try (Scope outer = scopes.enter("outer")) {
            try (Scope inner = scopes.enter("inner")) {
                assertThat(inner.isOpen()).isTrue();
                assertThat(inner.owner()).isEqualTo(ThreadRef.current());
            }
            assertThat(outer.isOpen()).isTrue();
            assertThat(scopes.openCount()).isEqualTo(1);
        }

        assertThat(scopes.openCount()).isZero();
        assertThat(scopes.entered()).isEqualTo(2);
        assertThat(scopes.violations()).isZero();
    }

    @Test
    void exitOnAnotherPlatformThreadNamesBothThreads() throws Exception {
        Scope scope = scopes.enter("tx");
        Thread closer = new Thread(scope::close, "closer");
        closer.start();
        closer.join();

        ScopeViolation violation = onlyViolation();
        assertThat(violation).isInstanceOf(ScopeViolation.WrongThreadExit.class);
        assertThat(violation.scope()).isEqualTo("tx");
        assertThat(violation.owner()).isEqualTo(ThreadRef.current());
        assertThat(violation.seenOn().name()).isEqualTo("closer");
        assertThat(violation.describe()).contains("'tx'", ThreadRef.current().toString(), "closer#");
        assertThat(scope.isOpen()).isFalse();
        // The owner drops the scope exited elsewhere as soon as it looks at its stack again.
        try (Scope next = scopes.enter("next")) {
            assertThat(next.isOpen()).isTrue();
            assertThat(scopes.openCount()).isEqualTo(1);
        }
    }

    @Test
    void exitOnAVirtualThreadAsAnAsyncContinuationWouldIsReported() throws Exception {
        Scope scope = scopes.enter("request");
        try (ExecutorService virtualThreads = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture.runAsync(() -> { }, virtualThreads).thenRunAsync(scope::close, virtualThreads).get();
        }

        ScopeViolation violation = onlyViolation();
        assertThat(violation.kind()).isEqualTo(ViolationKind.WRONG_THREAD);
        assertThat(violation.seenOn().virtual()).isTrue();
        assertThat(violation.owner().virtual()).isFalse();
    }

    @Test
    void exitOutOfOrderIsReportedAndTheInnerScopeStaysUsable() {
        Scope outer = scopes.enter("outer");
        Scope inner = scopes.enter("inner");

        outer.close();

        ScopeViolation violation = onlyViolation();
        assertThat(violation).isInstanceOf(ScopeViolation.OutOfOrderExit.class);
        assertThat(((ScopeViolation.OutOfOrderExit) violation).innermostOpenScope()).isEqualTo("inner");
        assertThat(violation.seenOn()).isEqualTo(violation.owner());
        assertThat(inner.isOpen()).isTrue();
        inner.close();
        assertThat(scopes.openCount()).isZero();
        assertThat(scopes.violations()).isEqualTo(1);
    }

    @Test
    void secondExitIsReported() {
        Scope scope = scopes.enter("once");
        scope.close();
        scope.close();

        ScopeViolation violation = onlyViolation();
        assertThat(violation.kind()).isEqualTo(ViolationKind.DOUBLE_EXIT);
        assertThat(violation.scope()).isEqualTo("once");
    }

    @Test
    void secondExitOnAnotherThreadNamesThatThread() throws Exception {
        Scope scope = scopes.enter("once");
        scope.close();
        Thread closer = new Thread(scope::close, "late-closer");
        closer.start();
        closer.join();

        ScopeViolation violation = onlyViolation();
        assertThat(violation.kind()).isEqualTo(ViolationKind.DOUBLE_EXIT);
        assertThat(violation.seenOn().name()).isEqualTo("late-closer");
    }

    @Test
    void scopeLeftOpenWhenItsThreadEndsIsFoundOnceTheThreadIsCollected() throws Exception {
        Thread leaker = new Thread(() -> scopes.enter("forgotten"), "leaker");
        leaker.start();
        leaker.join();

        Await.until(Duration.ofSeconds(10), true, "the leaked scope", () -> scopes.violations() > 0);
        ScopeViolation violation = onlyViolation();
        assertThat(violation).isInstanceOf(ScopeViolation.LeakedScope.class);
        assertThat(((ScopeViolation.LeakedScope) violation).cause()).isEqualTo(ScopeViolation.LeakCause.THREAD_ENDED);
        assertThat(violation.owner().name()).isEqualTo("leaker");
        assertThat(violation.scope()).isEqualTo("forgotten");
    }

    @Test
    void scopesPilingUpOpenOnOneThreadAreTakenAsLeaked() {
        for (int i = 0; i < ScopeStack.MOST_OPEN; i++) {
            scopes.enter("never-exited-" + i);
        }
        assertThat(scopes.violations()).isZero();

        try (Scope fresh = scopes.enter("fresh")) {
            assertThat(scopes.violationsByKind()).containsEntry(ViolationKind.LEAK, (long) ScopeStack.MOST_OPEN / 2);
            assertThat(scopes.openCount()).isEqualTo(ScopeStack.MOST_OPEN / 2 + 1);
            assertThat(fresh.isOpen()).isTrue();
        }
        ScopeViolation.LeakedScope first = (ScopeViolation.LeakedScope) scopes.recentViolations().get(0).value();
        assertThat(first.cause()).isEqualTo(ScopeViolation.LeakCause.PILED_UP);
        assertThat(first.describe()).contains("1024 scopes piled up");
        scopes.exitLeakedSince(0, "test cleanup");
    }

    @Test
    void strictModeThrowsAndLeavesTheScopeAsItWas() throws Exception {
        settings.set(Setting.SCOPES_MODE, ScopeMode.STRICT);
        Scope scope = scopes.enter("guarded");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread closer = new Thread(() -> {
            try {
                scope.close();
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "intruder");
        closer.start();
        closer.join();

        assertThat(thrown.get()).isInstanceOf(ScopeViolationException.class)
                .hasMessage("Scope 'guarded' entered on " + ThreadRef.current() + " was exited on "
                        + ((ScopeViolationException) thrown.get()).violation().seenOn() + ", a different thread.");
        assertThat(scope.isOpen()).isTrue();
        scope.close();
        assertThat(scope.isOpen()).isFalse();
        assertThat(scopes.violations()).isEqualTo(1);
    }

    @Test
    void strictModeRefusesAnOutOfOrderExit() {
        settings.set(Setting.SCOPES_MODE, ScopeMode.STRICT);
        Scope outer = scopes.enter("outer");
        Scope inner = scopes.enter("inner");

        assertThatThrownBy(outer::close).isInstanceOf(ScopeViolationException.class)
                .hasMessageContaining("while scope 'inner', entered after it, was still open");

        assertThat(outer.isOpen()).isTrue();
        inner.close();
        outer.close();
        assertThat(scopes.openCount()).isZero();
    }

    @Test
    void offModeTracksNothing() throws Exception {
        settings.set(Setting.SCOPES_MODE, ScopeMode.OFF);
        Scope scope = scopes.enter("ignored");
        Thread closer = new Thread(scope::close);
        closer.start();
        closer.join();

        assertThat(scopes.entered()).isZero();
        assertThat(scopes.violations()).isZero();
    }

    @Test
    void entryStackIsRecordedWhenAskedFor() throws Exception {
        settings.set(Setting.SCOPES_ENTRY_STACKS, StackCapture.ALL);
        Scope scope = enterHere();
        Thread closer = new Thread(scope::close);
        closer.start();
        closer.join();

        List<StackTraceElement> stack = onlyViolation().entryStack();
        assertThat(stack).isNotEmpty();
        assertThat(stack.get(0).getMethodName()).isEqualTo("enterHere");
        assertThat(stack.get(1).getMethodName()).isEqualTo("entryStackIsRecordedWhenAskedFor");
    }

    @Test
    void sampledEntryStacksAreTakenForSomeScopesOnly() throws Exception {
        settings.apply(java.util.Map.of("scopes.entryStacks", "SAMPLED", "stacks.samplingInterval", "4"));
        int withStack = 0;
        for (int i = 0; i < 400; i++) {
            Scope scope = scopes.enter("sampled");
            scope.close();
            scope.close();
        }
        for (History.Entry<ScopeViolation> entry : scopes.recentViolations()) {
            withStack += entry.value().entryStack().isEmpty() ? 0 : 1;
        }
        assertThat(scopes.violations()).isEqualTo(400);
        assertThat(withStack).isBetween(40, 180);
    }

    @Test
    void wrappedCloseableIsClosedOnceAndItsMisuseReported() throws Exception {
        int[] closes = new int[1];
        ScopedCloseable<AutoCloseable> connection = scopes.enter("connection", () -> closes[0]++);

        connection.close();
        connection.close();

        assertThat(closes[0]).isEqualTo(1);
        assertThat(onlyViolation().kind()).isEqualTo(ViolationKind.DOUBLE_EXIT);
    }

    @Test
    void wrappedCloseableIsNotClosedWhenStrictModeRefusesTheExit() throws Exception {
        settings.set(Setting.SCOPES_MODE, ScopeMode.STRICT);
        int[] closes = new int[1];
        ScopedCloseable<AutoCloseable> connection = scopes.enter("connection", () -> closes[0]++);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread other = new Thread(() -> {
            try {
                connection.close();
            } catch (Exception e) {
                thrown.set(e);
            }
        });
        other.start();
        other.join();

        assertThat(thrown.get()).isInstanceOf(ScopeViolationException.class);
        assertThat(closes[0]).isZero();
        connection.close();
        assertThat(closes[0]).isEqualTo(1);
    }

    @Test
    void jdkScopeErrorsCountAsViolations() throws Exception {
        Throwable wrongThread = new WrongThreadException("segment accessed outside its confined thread");

        assertThat(scopes.recordJdkError("db.read", new RuntimeException(wrongThread))).isTrue();
        assertThat(scopes.recordJdkError("db.read", new IllegalStateException("other"))).isFalse();

        ScopeViolation violation = onlyViolation();
        assertThat(violation.kind()).isEqualTo(ViolationKind.JDK_WRONG_THREAD);
        assertThat(violation.scope()).isEqualTo("db.read");
        assertThat(violation.describe()).contains("java.lang.WrongThreadException");
        Throwable structure = (Throwable) Class.forName("java.util.concurrent.StructureViolationException")
                .getConstructor(String.class).newInstance("scope closed out of order");
        assertThat(scopes.recordJdkError("db.read", structure)).isTrue();
        assertThat(scopes.violationsByKind()).containsEntry(ViolationKind.JDK_STRUCTURE_VIOLATION, 1L);
    }

    @Test
    void enteringAndExitingAllocatesNothingInTheDefaultMode() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20_000; i++) {
            enterAndExitTwoLevels();
        }
        long threadId = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++) {
            enterAndExitTwoLevels();
        }
        long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        // A single allocated object per scope would be at least 2.4 MB here.
        assertThat(allocated).isLessThan(10_000);
    }

    private void enterAndExitTwoLevels() {
        try (Scope outer = scopes.enter("outer"); Scope inner = scopes.enter("inner")) {
            if (!inner.isOpen() || !outer.isOpen()) {
                throw new AssertionError("scope closed early");
            }
        }
    }

    private Scope enterHere() {
        return scopes.enter("traced");
    }

    private ScopeViolation onlyViolation() {
        List<History.Entry<ScopeViolation>> violations = scopes.recentViolations();
        assertThat(violations).hasSize(1);
        return violations.get(0).value();
    }
}
