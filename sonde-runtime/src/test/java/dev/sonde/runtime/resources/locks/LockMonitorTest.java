package dev.sonde.runtime.resources.locks;

import dev.sonde.runtime.Await;
import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.settings.RuntimeSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.ReentrantLock;

import static org.assertj.core.api.Assertions.assertThat;

class LockMonitorTest {

    @Test
    void theMonitorFindsAMonitorDeadlockWithinTwoSeconds() throws Exception {
        RuntimeSettings settings = RuntimeSettings.defaults();
        settings.set("monitor.interval", "200ms");
        try (SondeRuntime runtime = SondeRuntime.create(settings)) {
            Object left = new Object();
            Object right = new Object();
            // Threads deadlocked on monitors can never be freed: they are daemons and die with the test JVM.
            startMonitorDeadlock("monitor-a", left, right, "monitor-b", right, left);
            long start = System.nanoTime();

            Await.until(Duration.ofSeconds(2), "the monitor deadlock", () -> cycleOf(runtime, "monitor-a") != null);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
            Deadlock deadlock = cycleOf(runtime, "monitor-a");
            assertThat(deadlock.threads()).extracting(t -> t.thread().name()).containsExactlyInAnyOrder("monitor-a", "monitor-b");
            LockedThread a = thread(deadlock, "monitor-a");
            LockedThread b = thread(deadlock, "monitor-b");
            assertThat(a.state()).isEqualTo("BLOCKED");
            assertThat(a.lockOwner().name()).isEqualTo("monitor-b");
            assertThat(a.waitingFor()).isEqualTo(lockName(right));
            assertThat(a.locksHeld()).containsExactly(lockName(left));
            assertThat(b.waitingFor()).isEqualTo(lockName(left));
            assertThat(b.locksHeld()).containsExactly(lockName(right));
            assertThat(a.stack()).anyMatch(frame -> frame.getMethodName().contains("startMonitorDeadlock"));
            assertThat(runtime.resources().locks().detectedDeadlocks()).hasSize(1);
        }
    }

    @Test
    void findsADeadlockOnReentrantLocksWithTheLocksHeldAndWanted() throws Exception {
        RuntimeSettings settings = RuntimeSettings.defaults();
        LockMonitor monitor = new LockMonitor(settings);
        ReentrantLock first = new ReentrantLock();
        ReentrantLock second = new ReentrantLock();
        CountDownLatch bothHold = new CountDownLatch(2);
        Thread one = lockThenLock("sync-1", first, second, bothHold);
        Thread two = lockThenLock("sync-2", second, first, bothHold);
        try {
            Await.until(Duration.ofSeconds(2), "the lock deadlock", () -> find(monitor.findDeadlocks(), "sync-1") != null);

            Deadlock deadlock = find(monitor.findDeadlocks(), "sync-1");
            LockedThread waiting = thread(deadlock, "sync-1");
            assertThat(waiting.state()).isEqualTo("WAITING");
            assertThat(waiting.lockOwner().name()).isEqualTo("sync-2");
            assertThat(waiting.waitingFor()).startsWith("java.util.concurrent.locks.ReentrantLock$NonfairSync@");
            assertThat(waiting.locksHeld()).hasSize(1).allMatch(lock -> lock.startsWith("java.util.concurrent.locks.ReentrantLock$NonfairSync@"));
            assertThat(waiting.locksHeld().get(0)).isEqualTo(thread(deadlock, "sync-2").waitingFor());
        } finally {
            one.interrupt();
            two.interrupt();
            one.join();
            two.join();
        }
        assertThat(find(monitor.findDeadlocks(), "sync-1")).isNull();
    }

    @Test
    void reportsAThreadBlockedLongerThanTheThresholdWithTheLockOwner() throws Exception {
        RuntimeSettings settings = RuntimeSettings.defaults();
        settings.set("locks.blockedThreshold", "100ms");
        LockMonitor monitor = new LockMonitor(settings);
        Object lock = new Object();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch held = new CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (lock) {
                held.countDown();
                awaitQuietly(release);
            }
        }, "holder");
        holder.start();
        held.await();
        Thread waiter = new Thread(() -> {
            synchronized (lock) {
                Thread.onSpinWait();
            }
        }, "waiter");
        waiter.start();
        try {
            monitor.scan();
            Await.until(Duration.ofSeconds(3), "the blocked thread", () -> {
                monitor.scan();
                return monitor.blockedThreads().stream().anyMatch(b -> b.thread().thread().name().equals("waiter"));
            });

            BlockedThread blocked = monitor.blockedThreads().stream()
                    .filter(b -> b.thread().thread().name().equals("waiter")).findFirst().orElseThrow();
            assertThat(blocked.blockedFor()).isGreaterThanOrEqualTo(Duration.ofMillis(100));
            assertThat(blocked.thread().lockOwner().name()).isEqualTo("holder");
            assertThat(blocked.thread().waitingFor()).isEqualTo(lockName(lock));
        } finally {
            release.countDown();
            holder.join();
            waiter.join();
        }
        monitor.scan();
        assertThat(monitor.blockedThreads()).noneMatch(b -> b.thread().thread().name().equals("waiter"));
    }

    private static void startMonitorDeadlock(String nameA, Object firstA, Object secondA,
                                             String nameB, Object firstB, Object secondB) throws InterruptedException {
        CountDownLatch bothHold = new CountDownLatch(2);
        for (Object[] plan : new Object[][] {{nameA, firstA, secondA}, {nameB, firstB, secondB}}) {
            Thread thread = new Thread(() -> {
                synchronized (plan[1]) {
                    bothHold.countDown();
                    awaitQuietly(bothHold);
                    synchronized (plan[2]) {
                        Thread.onSpinWait();
                    }
                }
            }, (String) plan[0]);
            thread.setDaemon(true);
            thread.start();
        }
        bothHold.await();
    }

    private static Thread lockThenLock(String name, ReentrantLock first, ReentrantLock second, CountDownLatch bothHold) {
        Thread thread = new Thread(() -> {
            try {
                first.lockInterruptibly();
                try {
                    bothHold.countDown();
                    bothHold.await();
                    second.lockInterruptibly();
                    second.unlock();
                } finally {
                    first.unlock();
                }
            } catch (InterruptedException expected) {
                // the test breaks the deadlock this way
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static Deadlock cycleOf(SondeRuntime runtime, String threadName) {
        return find(runtime.resources().locks().deadlocks(), threadName);
    }

    private static Deadlock find(List<Deadlock> deadlocks, String threadName) {
        return deadlocks.stream()
                .filter(d -> d.threads().stream().anyMatch(t -> t.thread().name().equals(threadName)))
                .findFirst().orElse(null);
    }

    private static LockedThread thread(Deadlock deadlock, String name) {
        return deadlock.threads().stream().filter(t -> t.thread().name().equals(name)).findFirst().orElseThrow();
    }

    private static String lockName(Object lock) {
        return lock.getClass().getName() + "@" + Integer.toHexString(System.identityHashCode(lock));
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
