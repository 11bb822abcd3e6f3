package dev.sonde.dashboard.jvm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.Deadlock;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.LockedThread;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;
import dev.sonde.fixtures.Locks;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JvmConnection} by pid against JVMs started here, none of them with sonde-runtime. */
class JvmConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aPlainJvmAnswersWithPlausiblePlatformFigures() throws Exception {
        try (TargetJvm sleeper = TargetJvm.start("sleeper up", "-Xmx64m", "-cp", Markers.classPath().toString(), Sleeper.class.getName());
             JvmConnection connection = JvmConnection.open(sleeper.pid(), TIMEOUT)) {
            assertThat(connection.hasRuntime()).isFalse();
            assertThat(connection.refreshHasRuntime()).isFalse();
            assertThat(connection.pid()).isEqualTo(sleeper.pid());
            assertThat(connection.describe()).isEqualTo("JVM " + sleeper.pid() + " (" + Sleeper.class.getName() + ")");

            PlatformSnapshot platform = connection.platform();
            assertThat(platform.uptimeMillis()).isPositive();
            assertThat(platform.vmName()).isNotBlank();
            assertThat(platform.vmVersion()).startsWith(Integer.toString(Runtime.version().feature()));
            SystemFigures system = platform.system();
            assertThat(system.processCpuLoad()).isBetween(0.0, 1.0);
            assertThat(system.systemCpuLoad()).isBetween(0.0, 1.0);
            assertThat(system.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(system.heapUsed()).isPositive().isLessThanOrEqualTo(system.heapCommitted());
            assertThat(system.heapMax()).isBetween(system.heapCommitted(), 64L * 1024 * 1024);
            assertThat(system.nonHeapUsed()).isPositive().isLessThanOrEqualTo(system.nonHeapCommitted());
            assertThat(system.threadCount()).isPositive().isLessThanOrEqualTo(system.peakThreadCount());
            assertThat(system.daemonThreadCount()).isPositive().isLessThan(system.threadCount());
            assertThat(system.startedThreadCount()).isGreaterThanOrEqualTo(system.peakThreadCount());
            // TargetJvm runs the serial collector: a young and an old generation collector.
            assertThat(system.garbageCollectors()).extracting(RuntimeSnapshot.GarbageCollector::name)
                    .containsExactlyInAnyOrder("Copy", "MarkSweepCompact");
            if (Runtime.version().feature() >= 24) {
                assertThat(system.virtualThreadScheduler()).isNotNull();
                assertThat(system.virtualThreadScheduler().parallelism()).isEqualTo(Runtime.getRuntime().availableProcessors());
            }
            assertThat(platform.deadlocks()).isEmpty();
            assertThat(platform.blockedThreads()).isEmpty();

            JsonNode json = new ObjectMapper().valueToTree(platform);
            assertThat(json.path("system").path("heapUsed").asLong()).isPositive();
            assertThat(json.path("system").path("garbageCollectors").get(0).path("collections").isNumber()).isTrue();
        }
    }

    @Test
    void withoutTheRuntimeItsFeaturesSayHowToAddItAndNoSessionsArePublished() {
        try (TargetJvm sleeper = TargetJvm.start("sleeper up", "-cp", Markers.classPath().toString(), Sleeper.class.getName());
             JvmConnection connection = JvmConnection.open(sleeper.pid(), TIMEOUT)) {
            String sentence = "JVM " + sleeper.pid() + " (" + Sleeper.class.getName() + ") does not run sonde-runtime; add the "
                    + "dev.sonde:sonde-runtime dependency and call SondeRuntime.install() at startup, as docs/runtime.md shows.";
            assertThatThrownBy(connection::snapshotJson).isInstanceOfSatisfying(SondeException.class, e -> {
                assertThat(e.kind()).isEqualTo(ErrorKind.UNSUPPORTED);
                assertThat(e.getMessage()).isEqualTo(sentence);
            });
            assertThatThrownBy(connection::settings).hasMessage(sentence);
            assertThatThrownBy(() -> connection.apply("scopes.mode=STRICT")).hasMessage(sentence);
            assertThat(connection.sessionsJson()).isEmpty();
            assertThat(LocalJvms.list()).contains(new LocalJvm(sleeper.pid(), Sleeper.class.getName(), Sleeper.class.getName()))
                    .noneMatch(jvm -> jvm.pid() == ProcessHandle.current().pid());
        }
    }

    @Test
    void findsTheDeadlockCycleAndTheBlockedThreadWithTheirOwners() {
        try (TargetJvm locks = TargetJvm.start("locks up", "-cp", Markers.classPath().toString(), Locks.class.getName());
             JvmConnection connection = JvmConnection.open(locks.pid(), TIMEOUT)) {
            PlatformSnapshot platform = await(connection, p -> !p.deadlocks().isEmpty() && !p.blockedThreads().isEmpty());

            assertThat(platform.deadlocks()).hasSize(1);
            Deadlock deadlock = platform.deadlocks().get(0);
            assertThat(deadlock.threads()).extracting(t -> t.thread().name()).containsExactlyInAnyOrder("deadlock-left", "deadlock-right");
            for (LockedThread thread : deadlock.threads()) {
                String other = thread.thread().name().equals("deadlock-left") ? "deadlock-right" : "deadlock-left";
                LockedThread otherThread = deadlock.threads().stream().filter(t -> t.thread().name().equals(other)).findFirst().orElseThrow();
                assertThat(thread.state()).isEqualTo("BLOCKED");
                assertThat(thread.waitingFor()).matches("dev\\.sonde\\.fixtures\\.Locks\\$(Left|Right)@\\p{XDigit}+");
                assertThat(thread.lockOwner().name()).isEqualTo(other);
                assertThat(thread.lockOwner().id()).isEqualTo(otherThread.thread().id());
                assertThat(thread.locksHeld()).containsExactly(otherThread.waitingFor());
                assertThat(thread.stack().get(0)).contains("dev.sonde.fixtures.Locks.takeInTurn(Locks.java:"
                        + Markers.line(Locks.class, "deadlock") + ")");
            }

            assertThat(platform.blockedThreads()).hasSize(1);
            LockedThread waiter = platform.blockedThreads().get(0);
            assertThat(waiter.thread().name()).isEqualTo("door-waiter");
            assertThat(waiter.state()).isEqualTo("BLOCKED");
            assertThat(waiter.waitingFor()).matches("dev\\.sonde\\.fixtures\\.Locks\\$Door@\\p{XDigit}+");
            assertThat(waiter.lockOwner().name()).isEqualTo("door-holder");
            assertThat(waiter.locksHeld()).isEmpty();
            assertThat(waiter.stack().get(0)).contains("Locks.java:" + Markers.line(Locks.class, "waiter") + ")");
        }
    }

    /** The platform view once it shows what the test needs: the threads take a moment to lock up. */
    static PlatformSnapshot await(JvmConnection connection, Predicate<PlatformSnapshot> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        PlatformSnapshot platform = connection.platform();
        while (!ready.test(platform)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the JVM never showed what the test waits for: " + platform);
            }
            TargetJvm.sleep(100);
            platform = connection.platform();
        }
        return platform;
    }
}
