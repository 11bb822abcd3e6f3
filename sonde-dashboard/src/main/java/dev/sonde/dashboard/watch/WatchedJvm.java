package dev.sonde.dashboard.watch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.history.JvmHistory;
import dev.sonde.dashboard.history.Sample;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.PlatformSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.GarbageCollector;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.SystemFigures;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One JVM the dashboard watches: its connection, what its last poll read, and its history. Polls run one
 * at a time per JVM (a slow JVM never has two polls queued); views are immutable records read without locks.
 */
public final class WatchedJvm {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Entries of each recent list (failures, violations, leaks, alerts) a poll reads: the page and reports show the newest 20. */
    static final int RECENT_ENTRIES = 20;

    private final JvmSource source;
    private final JvmHistory history;
    private final SampleDeriver deriver = new SampleDeriver();
    private final AtomicBoolean polling = new AtomicBoolean();
    private final Instant firstSeen = Instant.now();
    private volatile JvmConnection connection;
    private volatile JvmView view;
    private volatile long nextConnectAttempt;
    private int failedConnects;

    WatchedJvm(JvmSource source, String mainClass, int historyCapacity) {
        this.source = source;
        this.history = new JvmHistory(historyCapacity);
        long pid = source instanceof JvmSource.Local local ? local.pid() : -1;
        String address = source instanceof JvmSource.Remote remote ? remote.url() : null;
        this.view = JvmView.connecting(source.id(), pid, mainClass, address, firstSeen);
    }

    public String id() {
        return source.id();
    }

    public JvmSource source() {
        return source;
    }

    public JvmView view() {
        return view;
    }

    public JvmHistory history() {
        return history;
    }

    /** The open connection, for settings changes; empty unless the JVM is live. */
    public Optional<JvmConnection> connection() {
        return view.status() == JvmStatus.LIVE ? Optional.ofNullable(connection) : Optional.empty();
    }

    boolean isGone() {
        return view.status() == JvmStatus.GONE;
    }

    /** Opens the connection when there is none and it is time to try (failures back off up to 30 s). */
    void connectIfDue(Duration timeout) {
        if (connection != null || isGone() || System.currentTimeMillis() < nextConnectAttempt || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            JvmConnection opened = switch (source) {
                case JvmSource.Local local -> JvmConnection.open(local.pid(), timeout);
                case JvmSource.Remote remote -> JvmConnection.connect(remote.url(), remote.username(), remote.password(), timeout);
            };
            connection = opened;
            failedConnects = 0;
            view = view.connected(opened.pid(), opened.mainClass(), opened.hasRuntime());
        } catch (SondeException failure) {
            failedConnects++;
            nextConnectAttempt = System.currentTimeMillis() + Math.min(30_000L, 1_000L << Math.min(failedConnects, 5));
            view = view.unreachable(failure.getMessage());
        } finally {
            polling.set(false);
        }
    }

    /** Reads the JVM once and records the sample; a failure marks it unreachable (or gone) and drops the connection. */
    void poll(double amberAt) {
        JvmConnection open = connection;
        if (open == null || !polling.compareAndSet(false, true)) {
            return;
        }
        try {
            long at = System.currentTimeMillis();
            RuntimeSnapshot runtime = null;
            String runtimeJson = null;
            PlatformSnapshot platform = null;
            SystemReading system;
            int deadlocked;
            int blocked;
            if (open.hasRuntime()) {
                runtimeJson = open.snapshotJson(RECENT_ENTRIES);
                runtime = RuntimeSnapshot.parse(runtimeJson);
                system = reading(runtime.system());
                deadlocked = runtime.locks() == null ? 0 : runtime.locks().deadlocks().stream().mapToInt(d -> d.threads().size()).sum();
                blocked = runtime.locks() == null ? 0 : runtime.locks().blockedThreads().size();
            } else {
                platform = open.platform();
                system = reading(platform.system());
                deadlocked = platform.deadlocks().stream().mapToInt(cycle -> cycle.threads().size()).sum();
                blocked = platform.blockedThreads().size();
            }
            JsonNode sessions = open.sessionsJson().map(WatchedJvm::tree).orElse(null);
            Sample sample = deriver.next(at, runtime, system);
            history.add(sample);
            Health health = runtime != null ? Health.of(runtime, deadlocked, blocked, amberAt)
                    : deadlocked > 0 || blocked > 0 ? Health.of(null, deadlocked, blocked, amberAt)
                    : Health.grey("no sonde-runtime in this JVM: only its own figures are shown");
            view = view.polled(Instant.ofEpochMilli(at), health, runtimeJson, platform == null ? null : JSON.valueToTree(platform),
                    sessions, sample);
        } catch (SondeException failure) {
            drop(failure.getMessage());
        } finally {
            polling.set(false);
        }
    }

    /** The process ended: keep the last data, close the connection. */
    void markGone() {
        if (!isGone()) {
            view = view.gone(Instant.now());
            closeConnection();
        }
    }

    private void drop(String reason) {
        closeConnection();
        if (source instanceof JvmSource.Local local && ProcessHandle.of(local.pid()).map(ProcessHandle::isAlive).orElse(false) == Boolean.FALSE) {
            view = view.gone(Instant.now());
        } else {
            view = view.unreachable(reason);
        }
    }

    void closeConnection() {
        JvmConnection open = connection;
        connection = null;
        if (open != null) {
            open.close();
        }
    }

    private static SystemReading reading(SystemFigures system) {
        if (system == null) {
            return new SystemReading(-1, -1, -1, -1, -1, -1, -1, -1);
        }
        long gc = system.garbageCollectors().stream().mapToLong(GarbageCollector::timeMillis).sum();
        var scheduler = system.virtualThreadScheduler();
        return new SystemReading(system.processCpuLoad(), system.systemCpuLoad(), system.heapUsed(), system.heapMax(),
                system.threadCount(), gc, scheduler == null ? -1 : scheduler.mounted(), scheduler == null ? -1 : scheduler.queued());
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return null;
        }
    }
}
