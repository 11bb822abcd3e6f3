package dev.sonde.runtime;

import dev.sonde.runtime.jmx.JmxExporter;
import dev.sonde.runtime.json.RuntimeJson;
import dev.sonde.runtime.kpi.Kpis;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.recovery.Recovery;
import dev.sonde.runtime.resources.Resources;
import dev.sonde.runtime.resources.tasks.TaskExecutors;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.settings.SettingsFile;

import java.lang.System.Logger;
import java.lang.management.ManagementFactory;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.management.MBeanServer;

/**
 * The runtime a service uses: operations, scopes, resources (with locks, executors and system
 * figures), recovery and KPIs, sharing one set of settings, watched by one background monitor and
 * exposed over JMX.
 *
 * <pre>{@code
 * SondeRuntime sonde = SondeRuntime.install();      // once, at startup
 * sonde.operations().track("orders.load", () -> repository.load(id));
 * try (Scope scope = sonde.scopes().enter("checkout")) { ... }
 * }</pre>
 */
public final class SondeRuntime implements AutoCloseable {

    private static final Logger LOG = System.getLogger(SondeRuntime.class.getName());
    /** How often a settings file is looked at; cheap (one stat) and independent of {@code monitor.interval}. */
    private static final Duration SETTINGS_FILE_POLL = Duration.ofSeconds(1);
    private static SondeRuntime installed;

    private final Instant startedAt = Instant.now();
    private final RuntimeSettings settings;
    private final Scopes scopes;
    private final Operations operations;
    private final TaskExecutors tasks;
    private final Resources resources;
    private final Recovery recovery;
    private final Kpis kpis;
    private final RuntimeMonitor monitor = new RuntimeMonitor();
    private final List<AutoCloseable> registrations = new CopyOnWriteArrayList<>();
    private volatile SettingsFile settingsFile;

    private SondeRuntime(RuntimeSettings settings) {
        this.settings = settings;
        this.scopes = new Scopes(settings);
        this.operations = new Operations(settings, scopes);
        this.tasks = new TaskExecutors(settings, operations, scopes);
        this.resources = new Resources(settings, tasks);
        this.recovery = new Recovery(settings);
        this.kpis = new Kpis(settings, scopes, resources, operations, recovery);
        monitor.addCheck(resources.locks()::scan);
        monitor.addCheck(resources::reportOldResources);
        monitor.addCheck(kpis::evaluate);
        monitor.start(settings.get(Setting.MONITOR_INTERVAL));
        settings.onChange(changed -> monitor.start(changed.get(Setting.MONITOR_INTERVAL)));
    }

    /**
     * The process-wide runtime: made on the first call, with settings from the {@code sonde.runtime.*}
     * system properties, and its MBeans registered on the platform MBean server. Later calls return
     * the same runtime. With {@code -Dsonde.runtime.config=FILE} the file is applied now and again
     * whenever it changes (see {@link SettingsFile}); the other {@code sonde.runtime.*} properties win
     * over it.
     */
    public static synchronized SondeRuntime install() {
        if (installed == null) {
            RuntimeSettings fromProperties = settingsFromSystemProperties();
            SondeRuntime runtime = new SondeRuntime(fromProperties == null ? RuntimeSettings.defaults() : fromProperties);
            String file = System.getProperty(SettingsFile.SYSTEM_PROPERTY, "");
            if (!file.isBlank()) {
                runtime.watchSettingsFile(file, fromProperties == null ? Map.of() : RuntimeSettings.settingsIn(System.getProperties()));
            }
            try {
                runtime.registerMBeans(ManagementFactory.getPlatformMBeanServer());
            } catch (IllegalStateException taken) {
                // Another copy of the library (another class loader) got there first; this one still works, unseen.
                LOG.log(Logger.Level.WARNING, taken.getMessage());
            }
            installed = runtime;
        }
        return installed;
    }

    /** The process-wide runtime, installed with defaults if nothing installed it yet. */
    public static SondeRuntime get() {
        return install();
    }

    /**
     * A runtime of its own, not process-wide and not registered with JMX: for tests, or for a
     * service that manages its own MBean server with {@link #registerMBeans}.
     */
    public static SondeRuntime create(RuntimeSettings settings) {
        return new SondeRuntime(settings);
    }

    /** Registers this runtime's MBeans; they are unregistered when the runtime is closed. */
    public void registerMBeans(MBeanServer server) {
        registrations.add(JmxExporter.export(this, server));
    }

    /** Invalid system properties must not stop a service from starting: they are logged and none is applied (null). */
    private static RuntimeSettings settingsFromSystemProperties() {
        try {
            return RuntimeSettings.fromProperties(System.getProperties());
        } catch (IllegalArgumentException invalid) {
            LOG.log(Logger.Level.WARNING, invalid.getMessage() + " The Sonde runtime starts with its default settings.");
            return null;
        }
    }

    private void watchSettingsFile(String file, Map<String, String> overrides) {
        try {
            watchSettingsFile(Path.of(file), overrides);
        } catch (InvalidPathException invalid) {
            LOG.log(Logger.Level.WARNING, "-D" + SettingsFile.SYSTEM_PROPERTY + "=" + file + " is not a file path ("
                    + invalid.getReason() + "); the Sonde runtime reads no settings file.");
        }
    }

    /**
     * Applies a settings file now and again whenever it changes, checked every second on the monitor thread;
     * {@code overrides} (setting keys to values) win over the file. One file per runtime.
     *
     * @throws IllegalStateException when this runtime already watches a file
     */
    public synchronized void watchSettingsFile(Path file, Map<String, String> overrides) {
        if (settingsFile != null) {
            throw new IllegalStateException("This Sonde runtime already watches " + settingsFile.path() + "; it watches one file.");
        }
        SettingsFile watched = new SettingsFile(file, settings, overrides);
        watched.check();
        settingsFile = watched;
        monitor.every(SETTINGS_FILE_POLL, watched::check);
    }

    /** The watched settings file with when it was last applied and its last error; empty when there is none. */
    public Optional<SettingsFile.Status> settingsFile() {
        SettingsFile watched = settingsFile;
        return watched == null ? Optional.empty() : Optional.of(watched.status());
    }

    public RuntimeSettings settings() {
        return settings;
    }

    public Operations operations() {
        return operations;
    }

    public Scopes scopes() {
        return scopes;
    }

    public Resources resources() {
        return resources;
    }

    /** Shortcut for {@code resources().tasks()}: wraps executors. */
    public TaskExecutors tasks() {
        return tasks;
    }

    public Recovery recovery() {
        return recovery;
    }

    public Kpis kpis() {
        return kpis;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Runs with every monitor round, after the runtime's own checks (the Micrometer binder uses it). */
    public void onMonitorRound(Runnable check) {
        monitor.addCheck(check);
    }

    /** Everything the runtime knows, as one JSON document. */
    public String snapshotJson() {
        return RuntimeJson.snapshot(this);
    }

    /** The same, with only the newest {@code newest} entries of each recent list (failures, violations, leaks, alerts). */
    public String snapshotJson(int newest) {
        return RuntimeJson.snapshot(this, newest);
    }

    /** Stops the monitor and the retry scheduler and unregisters the MBeans. */
    @Override
    public void close() {
        monitor.close();
        recovery.close();
        for (AutoCloseable registration : registrations) {
            try {
                registration.close();
            } catch (Exception alreadyGone) {
                LOG.log(Logger.Level.DEBUG, "An MBean was already unregistered.", alreadyGone);
            }
        }
        registrations.clear();
        synchronized (SondeRuntime.class) {
            if (installed == this) {
                installed = null;
            }
        }
    }
}
