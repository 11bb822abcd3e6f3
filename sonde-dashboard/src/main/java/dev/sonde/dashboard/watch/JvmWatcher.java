package dev.sonde.dashboard.watch;

import dev.sonde.dashboard.jvm.LocalJvm;
import dev.sonde.dashboard.jvm.LocalJvms;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Finds JVMs and polls them: local ones through the Attach API, re-listed every {@code rescan}; remote ones
 * by JMX URL. Each round polls every live JVM in parallel and then tells the listeners, with how long the
 * round took. A JVM that does not answer costs only its own time-out, never the others' freshness.
 */
public final class JvmWatcher implements AutoCloseable {

    /** One finished round: when, how long it took, and the JVMs as they stand. */
    public record Round(long atMillis, long tookMillis, List<WatchedJvm> jvms) {
    }

    /** Ended JVMs kept on the page at most. */
    static final int GONE_KEPT = 32;

    private final Map<String, WatchedJvm> jvms = new ConcurrentHashMap<>();
    private final List<Consumer<Round>> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService polls = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService clock = Executors.newScheduledThreadPool(2, runnable -> {
        Thread thread = new Thread(runnable, "sonde-dashboard-clock");
        thread.setDaemon(true);
        return thread;
    });
    private final long self = ProcessHandle.current().pid();
    private volatile WatchSettings settings;
    private volatile Round lastRound = new Round(0, 0, List.of());

    public JvmWatcher(WatchSettings settings) {
        this.settings = settings;
    }

    public void onRound(Consumer<Round> listener) {
        listeners.add(listener);
    }

    /** Starts watching: a first scan at once, then rounds at the interval. */
    public JvmWatcher start() {
        clock.scheduleWithFixedDelay(this::rescanQuietly, 0, settings.rescan().toMillis(), TimeUnit.MILLISECONDS);
        clock.scheduleAtFixedRate(this::roundQuietly, 0, settings.interval().toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    public WatchSettings settings() {
        return settings;
    }

    /**
     * New settings while running (a reloaded config): thresholds and JMX targets take effect at the next
     * round; the interval and history length apply to JVMs found from now on.
     */
    public void update(WatchSettings changed) {
        this.settings = changed;
        Set<String> wanted = changed.remotes().stream().map(JvmSource::id).collect(Collectors.toSet());
        jvms.values().removeIf(jvm -> {
            boolean dropped = jvm.source() instanceof JvmSource.Remote && !wanted.contains(jvm.id());
            if (dropped) {
                jvm.closeConnection();
            }
            return dropped;
        });
        rescanQuietly();
    }

    public List<WatchedJvm> jvms() {
        List<WatchedJvm> all = new ArrayList<>(jvms.values());
        // What needs eyes first: JVMs that still run, those with sonde-runtime before the others, then by name.
        all.sort(Comparator.comparing((WatchedJvm jvm) -> jvm.view().status() == JvmStatus.GONE)
                .thenComparing(jvm -> !jvm.view().hasRuntime())
                .thenComparing(jvm -> jvm.view().mainClass() == null ? "" : jvm.view().mainClass())
                .thenComparing(WatchedJvm::id));
        return all;
    }

    public Optional<WatchedJvm> find(String id) {
        return Optional.ofNullable(jvms.get(id));
    }

    public Round lastRound() {
        return lastRound;
    }

    /** Lists local JVMs: new ones are added and connected, ended ones marked gone; unreachable ones are retried. */
    public void rescan() {
        WatchSettings current = settings;
        if (current.locals()) {
            List<LocalJvm> listed = LocalJvms.list();
            Set<Long> alive = listed.stream().map(LocalJvm::pid).collect(Collectors.toSet());
            for (LocalJvm local : listed) {
                if (local.pid() != self) {
                    jvms.computeIfAbsent(new JvmSource.Local(local.pid()).id(),
                            id -> new WatchedJvm(new JvmSource.Local(local.pid()), local.mainClass(), current.historyCapacity()));
                }
            }
            for (WatchedJvm jvm : jvms.values()) {
                if (jvm.source() instanceof JvmSource.Local local && !alive.contains(local.pid())
                        && !ProcessHandle.of(local.pid()).map(ProcessHandle::isAlive).orElse(false)) {
                    jvm.markGone();
                }
            }
        }
        forgetLongGone(current);
        for (JvmSource.Remote remote : current.remotes()) {
            jvms.computeIfAbsent(remote.id(), id -> new WatchedJvm(remote, null, current.historyCapacity()));
        }
        // Connections open in the background: a JVM that takes the whole time-out to answer (hung, or held at
        // start by a debugger) must not keep the next rescan from listing new JVMs.
        for (WatchedJvm jvm : jvms.values()) {
            polls.submit(() -> jvm.connectIfDue(current.timeout()));
        }
    }

    /**
     * Ended JVMs stay listed with their last data, but not for ever: a machine that runs builds and tests starts
     * hundreds of short-lived JVMs a day. One is forgotten once it ended longer ago than the history window reaches,
     * and only the {@value #GONE_KEPT} that ended last are kept.
     */
    private void forgetLongGone(WatchSettings current) {
        java.time.Instant horizon = java.time.Instant.now().minus(current.history());
        List<WatchedJvm> gone = jvms.values().stream().filter(WatchedJvm::isGone)
                .sorted(Comparator.comparing((WatchedJvm jvm) -> jvm.view().endedAt()).reversed()).toList();
        for (int i = 0; i < gone.size(); i++) {
            WatchedJvm jvm = gone.get(i);
            if (i >= GONE_KEPT || jvm.view().endedAt().isBefore(horizon)) {
                jvms.remove(jvm.id(), jvm);
            }
        }
    }

    /** Polls every live JVM once, in parallel, and tells the listeners. */
    public Round round() {
        long started = System.nanoTime();
        WatchSettings current = settings;
        List<Future<?>> running = new ArrayList<>();
        for (WatchedJvm jvm : jvms.values()) {
            running.add(polls.submit(() -> jvm.poll(current.amberAt())));
        }
        // A JVM slower than the interval finishes its poll in the background and shows in a later round.
        awaitAll(running, System.nanoTime() + current.interval().toNanos() * 9 / 10);
        Round round = new Round(System.currentTimeMillis(), (System.nanoTime() - started) / 1_000_000, jvms());
        lastRound = round;
        for (Consumer<Round> listener : listeners) {
            listener.accept(round);
        }
        return round;
    }

    private void rescanQuietly() {
        try {
            rescan();
        } catch (RuntimeException e) {
            System.getLogger(JvmWatcher.class.getName()).log(System.Logger.Level.WARNING, "Listing local JVMs failed: " + e);
        }
    }

    private void roundQuietly() {
        try {
            round();
        } catch (RuntimeException e) {
            System.getLogger(JvmWatcher.class.getName()).log(System.Logger.Level.WARNING, "A poll round failed: " + e);
        }
    }

    private static void awaitAll(Collection<Future<?>> futures, long deadlineNanos) {
        for (Future<?> future : futures) {
            try {
                future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // each poll records its own failure on its JVM; a slow one is left to finish
            }
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
        polls.shutdownNow();
        jvms.values().forEach(WatchedJvm::closeConnection);
    }
}
