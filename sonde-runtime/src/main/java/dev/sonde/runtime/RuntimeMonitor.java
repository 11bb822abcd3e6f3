package dev.sonde.runtime;

import java.lang.System.Logger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The background thread that, every {@code monitor.interval}, runs the checks nothing else triggers:
 * deadlocks and blocked threads, resources past their leak age, KPIs.
 */
final class RuntimeMonitor implements AutoCloseable {

    private static final Logger LOG = System.getLogger(RuntimeMonitor.class.getName());

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread monitor = new Thread(task, "sonde-runtime-monitor");
        monitor.setDaemon(true);
        return monitor;
    });
    private final List<Runnable> checks = new CopyOnWriteArrayList<>();
    private ScheduledFuture<?> schedule;

    void addCheck(Runnable check) {
        checks.add(check);
    }

    /** Runs {@code task} on the monitor thread every {@code interval}, whatever {@code monitor.interval} is. */
    void every(Duration interval, Runnable task) {
        long nanos = interval.toNanos();
        thread.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException | Error failure) {
                LOG.log(Logger.Level.WARNING, "A Sonde runtime task failed; it runs again in " + interval.toMillis() + " ms.", failure);
            }
        }, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    synchronized void start(Duration interval) {
        if (schedule != null) {
            schedule.cancel(false);
        }
        long nanos = interval.toNanos();
        schedule = thread.scheduleWithFixedDelay(this::runChecks, nanos, nanos, TimeUnit.NANOSECONDS);
    }

    private void runChecks() {
        for (Runnable check : checks) {
            try {
                check.run();
            } catch (RuntimeException | Error failure) {
                // One failing check must not stop the others, nor the next round.
                LOG.log(Logger.Level.WARNING, "A Sonde runtime check failed; the next round will try again.", failure);
            }
        }
    }

    @Override
    public synchronized void close() {
        thread.shutdownNow();
    }
}
