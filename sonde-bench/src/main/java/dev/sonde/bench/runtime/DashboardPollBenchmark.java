package dev.sonde.bench.runtime;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.jmx.RuntimeMBeans;
import dev.sonde.runtime.operations.OperationTracker;
import dev.sonde.runtime.scopes.Scope;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.stats.SlidingWindow;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

/**
 * What one dashboard poll costs inside a watched service: the runtime's {@code snapshotJson} written
 * directly, invoked through the platform MBean server, and invoked through a real JMX connector over
 * loopback RMI (the dashboard's whole path; client and target share this JVM, so that figure holds
 * both ends). The runtime is a busy one: {@code operationNames} operation names with samples in every
 * bucket of their windows and some failing, {@code liveResources} open resources, and every
 * recent-history ring (failures, violations, leaks, alerts) holding {@code historySize} entries;
 * the resources and scopes that record their stack (as {@code stacks} says) record 32 frames.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(org.openjdk.jmh.annotations.Scope.Benchmark)
public class DashboardPollBenchmark {

    private static final int STACK_DEPTH = 32;
    private static final Object[] NO_PARAMS = {};
    private static final String[] NO_SIGNATURE = {};
    private static final ObjectName OPERATING_SYSTEM = name(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
    private static final ObjectName MEMORY = name(ManagementFactory.MEMORY_MXBEAN_NAME);
    private static final ObjectName THREADING = name(ManagementFactory.THREAD_MXBEAN_NAME);
    private static final ObjectName GARBAGE_COLLECTORS = name(ManagementFactory.GARBAGE_COLLECTOR_MXBEAN_DOMAIN_TYPE + ",*");

    @Param("200")
    public int operationNames;
    @Param("1000")
    public int liveResources;
    @Param("256")
    public int historySize;
    /** SAMPLED is the default (one resource or scope in 128 records its stack); ALL is the most a poll has to write. */
    @Param({"SAMPLED", "ALL"})
    public String stacks;

    private SondeRuntime runtime;
    private ObjectName runtimeBean;
    private MBeanServer platform;
    private JMXConnectorServer connectorServer;
    private JMXConnector connector;
    private MBeanServerConnection remote;
    /** The registered resources stay reachable, so they stay open rather than being collected as leaks. */
    private final List<Object> openResources = new ArrayList<>();

    @Setup
    public void start() throws Exception {
        RuntimeSettings settings = RuntimeSettings.defaults();
        settings.apply(Map.of(
                Setting.HISTORY_SIZE.key(), Integer.toString(historySize),
                Setting.SCOPES_ENTRY_STACKS.key(), stacks,
                Setting.RESOURCES_ALLOCATION_STACKS.key(), stacks,
                Setting.STACKS_MAX_DEPTH.key(), Integer.toString(STACK_DEPTH),
                // Long windows keep the samples placed in every bucket below live for the whole run.
                Setting.OPERATIONS_WINDOW.key(), "1h"));
        runtime = SondeRuntime.create(settings);
        trackOperations();
        atDepth(STACK_DEPTH, this::openResources);
        atDepth(STACK_DEPTH, this::misuseScopes);
        reportLeaks();
        raiseAlerts();

        platform = ManagementFactory.getPlatformMBeanServer();
        runtime.registerMBeans(platform);
        runtimeBean = RuntimeMBeans.objectName(RuntimeMBeans.Runtime.NAME);
        connectorServer = loopbackConnectorServer(platform);
        connector = JMXConnectorFactory.connect(connectorServer.getAddress());
        remote = connector.getMBeanServerConnection();
    }

    @TearDown
    public void stop() throws IOException {
        connector.close();
        connectorServer.stop();
        runtime.close();
    }

    /** a) the JSON written in the target, no JMX at all. */
    @Benchmark
    public String snapshotJsonDirect() {
        return runtime.snapshotJson();
    }

    /** b) the same invoked on the platform MBean server, in process. */
    @Benchmark
    public Object snapshotJsonPlatformMBeanServer() throws JMException {
        return platform.invoke(runtimeBean, RuntimeMBeans.Runtime.SNAPSHOT_JSON, NO_PARAMS, NO_SIGNATURE);
    }

    /** c) the same through an RMI JMX connector on 127.0.0.1: the dashboard's path, both ends in this JVM. */
    @Benchmark
    public Object snapshotJsonJmxConnector() throws JMException, IOException {
        return remote.invoke(runtimeBean, RuntimeMBeans.Runtime.SNAPSHOT_JSON, NO_PARAMS, NO_SIGNATURE);
    }

    /**
     * e) what the dashboard actually asks for: the compact document (the newest 50 entries of each recent list) through
     * the RMI JMX connector.
     */
    @Benchmark
    public Object compactSnapshotJsonJmxConnector() throws JMException, IOException {
        return remote.invoke(runtimeBean, RuntimeMBeans.Runtime.COMPACT_SNAPSHOT_JSON, new Object[] {50},
                new String[] {Integer.class.getName()});
    }

    /**
     * d) what a poll reads from the JVM's own MBeans over the same connector: CPU, heap, threads and each
     * collector's counts, one {@code getAttributes} per MBean.
     */
    @Benchmark
    public int platformMBeansJmxConnector() throws JMException, IOException {
        int values = remote.getAttributes(OPERATING_SYSTEM, new String[] {"ProcessCpuLoad", "CpuLoad", "ProcessCpuTime"}).size();
        values += remote.getAttributes(MEMORY, new String[] {"HeapMemoryUsage", "NonHeapMemoryUsage"}).size();
        values += remote.getAttributes(THREADING, new String[] {"ThreadCount", "DaemonThreadCount", "PeakThreadCount"}).size();
        for (ObjectName collector : remote.queryNames(GARBAGE_COLLECTORS, null)) {
            values += remote.getAttributes(collector, new String[] {"CollectionCount", "CollectionTime"}).size();
        }
        return values;
    }

    private void trackOperations() throws ReflectiveOperationException {
        // A service busy for a whole window leaves samples in each of its six buckets; the public API records only
        // "now", so the past buckets are filled through the tracker's window, reached by reflection.
        Method windowOf = OperationTracker.class.getDeclaredMethod("window");
        windowOf.setAccessible(true);
        long now = System.nanoTime();
        long bucketNanos = Duration.ofHours(1).toNanos() / 6;
        for (int i = 0; i < operationNames; i++) {
            OperationTracker tracker = runtime.operations().tracker("service.operation-" + i);
            for (int call = 0; call < 20; call++) {
                tracker.track(() -> 42);
            }
            SlidingWindow window = (SlidingWindow) windowOf.invoke(tracker);
            // Samples of 50 µs to 500 ms in each of the window's six buckets, oldest first.
            for (int bucket = 5; bucket >= 0; bucket--) {
                for (long duration = 50_000; duration <= 500_000_000; duration *= 3) {
                    window.record(now - bucket * bucketNanos, duration + i, duration % 7 == 0);
                }
            }
        }
        for (int failure = 0; failure < historySize; failure++) {
            String message = "upstream refused request " + failure;
            RuntimeException error = failure % 2 == 0 ? new IllegalStateException(message)
                    : new UncheckedIOException(new IOException(message));
            OperationTracker tracker = runtime.operations().tracker("service.operation-" + failure % operationNames);
            try {
                tracker.track(() -> {
                    throw error;
                });
            } catch (RuntimeException expected) {
                // recorded as a failure: that is the point
            }
        }
    }

    private void openResources() {
        for (int i = 0; i < liveResources; i++) {
            Object resource = new Object();
            openResources.add(resource);
            runtime.resources().register(i % 3 == 0 ? "session" : "connection", resource);
        }
    }

    /** Double exits and out-of-order exits, half each, every one with its entry stack. */
    private void misuseScopes() {
        for (int i = 0; i < historySize; i++) {
            if (i % 2 == 0) {
                Scope scope = runtime.scopes().enter("checkout");
                scope.close();
                scope.close();
            } else {
                Scope outer = runtime.scopes().enter("payment");
                Scope inner = runtime.scopes().enter("payment.card");
                outer.close();
                inner.close();
            }
        }
    }

    /** Every open resource gets older than a 1 ms leak age: the leak ring fills with reports carrying their stacks. */
    private void reportLeaks() throws InterruptedException {
        runtime.settings().set(Setting.RESOURCES_LEAK_AGE, Duration.ofMillis(1));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (runtime.resources().leaks().size() < Math.min(historySize, liveResources)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The leak reports did not fill the history within 30 s.");
            }
            runtime.resources().reportOldResources();
            Thread.sleep(1);
        }
        runtime.settings().set(Setting.RESOURCES_LEAK_AGE, Duration.ofMinutes(10));
    }

    /** Each time the violation-rate threshold drops below the rate, a breach starts and an alert is recorded. */
    private void raiseAlerts() {
        while (runtime.kpis().alerts().size() < historySize) {
            runtime.settings().set(Setting.KPI_SCOPE_VIOLATION_RATE_MAX, 0.0);
            runtime.kpis().evaluate();
            runtime.settings().set(Setting.KPI_SCOPE_VIOLATION_RATE_MAX, 1.0);
            runtime.kpis().evaluate();
        }
    }

    /** Runs the work {@code frames} calls deep, so that the stacks it records are as deep as a service's. */
    private static void atDepth(int frames, Runnable work) {
        if (frames <= 0) {
            work.run();
        } else {
            atDepth(frames - 1, work);
        }
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (MalformedObjectNameException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static JMXConnectorServer loopbackConnectorServer(MBeanServer server) throws IOException {
        // The stub the client gets names this host; keep the whole conversation on loopback.
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        InetAddress loopback = InetAddress.getLoopbackAddress();
        Map<String, Object> environment = new HashMap<>();
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE,
                (RMIServerSocketFactory) port -> new ServerSocket(port, 50, loopback));
        JMXConnectorServer connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), environment, server);
        connectorServer.start();
        return connectorServer;
    }
}
