package dev.sonde.dashboard.jvm;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.runtime.jmx.RuntimeMBeans;
import dev.sonde.runtime.jmx.RuntimeMBeans.Columns;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static dev.sonde.runtime.jmx.RuntimeMBeans.objectName;

/**
 * A JMX connection to the Sonde runtime inside a local JVM, opened by pid through the Attach API, which
 * starts the JVM's local management agent when it is not running yet. Only open types and the JSON
 * snapshot cross it, so this side needs no class of sonde-runtime beyond the names in
 * {@link RuntimeMBeans}. Every exchange is bounded by a time limit: a hung JVM cannot hang Sonde.
 */
public final class JvmConnection implements AutoCloseable {

    /** One runtime setting as the Settings MBean lists it. */
    public record SettingValue(String key, String value, String defaultValue, String description) {
    }

    private static final ObjectName RUNTIME = objectName(RuntimeMBeans.Runtime.NAME);
    private static final ObjectName SETTINGS = objectName(RuntimeMBeans.Settings.NAME);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final String DISABLED_ATTACH = "-XX:+DisableAttachMechanism";

    private final long pid;
    private final String mainClass;
    private final Duration timeout;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final boolean hasRuntime;

    private JvmConnection(long pid, String mainClass, Duration timeout, JMXConnector connector,
                              MBeanServerConnection server) {
        this.pid = pid;
        this.mainClass = mainClass;
        this.timeout = timeout;
        this.connector = connector;
        this.server = server;
        this.hasRuntime = attempt(pid, timeout, () -> server.isRegistered(RUNTIME));
    }

    /**
     * Connects to the runtime in the JVM with this pid.
     *
     * @throws SondeException when there is no such process, it is not a JVM this user can attach to, it
     *                        does not answer within the timeout, or it does not run sonde-runtime
     */
    public static JvmConnection open(long pid, Duration timeout) {
        if (pid == ProcessHandle.current().pid()) {
            throw SondeException.invalidInput("Pid " + pid + " is this sonde process itself; give the pid of the service "
                    + "(`sonde ps` lists the JVMs).");
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> SondeException.targetGone(
                "No process has pid " + pid + "; `sonde ps` lists the JVMs you can inspect."));
        Optional<VirtualMachineDescriptor> listed = VirtualMachine.list().stream()
                .filter(d -> d.id().equals(Long.toString(pid)))
                .findFirst();
        // A JVM without shared performance data (-XX:-UsePerfData, -XX:+PerfDisableSharedMem) is not listed, yet attachable.
        if (listed.isEmpty() && (!runsJava(process) || runsWith(process, DISABLED_ATTACH))) {
            throw notAttachable(process);
        }
        String mainClass = listed.map(VirtualMachineDescriptor::displayName).filter(name -> !name.isBlank())
                .map(name -> name.split("\\s+", 2)[0]).orElse("?");
        JMXConnector connector = attempt(pid, timeout, () -> connect(pid));
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            JvmConnection connection = new JvmConnection(pid, mainClass, timeout, connector, server);
            return connection;
        } catch (IOException | RuntimeException e) {
            closeQuietly(connector);
            throw e instanceof SondeException sonde ? sonde : gone(pid, e);
        }
    }

    public long pid() {
        return pid;
    }

    /** The JVM's main class (or jar), as {@code sonde ps} shows it. */
    public String mainClass() {
        return mainClass;
    }

    public boolean hasRuntime() {
        return hasRuntime;
    }

    public static JvmConnection connect(String url, String username, String password, Duration timeout) {
        throw SondeException.invalidInput("Remote JVMs are not supported yet.");
    }

    public java.util.Optional<String> sessionsJson() {
        return java.util.Optional.empty();
    }

    public PlatformSnapshot platform() {
        return call(() -> {
            var memory = java.lang.management.ManagementFactory.newPlatformMXBeanProxy(server,
                    java.lang.management.ManagementFactory.MEMORY_MXBEAN_NAME, java.lang.management.MemoryMXBean.class);
            var threads = java.lang.management.ManagementFactory.newPlatformMXBeanProxy(server,
                    java.lang.management.ManagementFactory.THREAD_MXBEAN_NAME, java.lang.management.ThreadMXBean.class);
            var os = java.lang.management.ManagementFactory.newPlatformMXBeanProxy(server,
                    java.lang.management.ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME, com.sun.management.OperatingSystemMXBean.class);
            var heap = memory.getHeapMemoryUsage();
            return new PlatformSnapshot(os.getProcessCpuLoad(), os.getCpuLoad(), heap.getUsed(), heap.getMax(), threads.getThreadCount(),
                    -1, -1, -1, List.of(), List.of());
        });
    }

    /** The runtime's JSON snapshot, as the runtime wrote it. */
    public String snapshotJson() {
        return call(() -> (String) server.invoke(RUNTIME, RuntimeMBeans.Runtime.SNAPSHOT_JSON, new Object[0], new String[0]));
    }

    public RuntimeSnapshot snapshot() {
        return RuntimeSnapshot.parse(snapshotJson());
    }

    /** Every setting with its value and default, in the runtime's order. */
    public List<SettingValue> settings() {
        TabularData table = call(() -> (TabularData) server.getAttribute(SETTINGS, RuntimeMBeans.Settings.SETTINGS));
        List<SettingValue> settings = new ArrayList<>();
        for (Object row : table.values()) {
            CompositeData setting = (CompositeData) row;
            settings.add(new SettingValue((String) setting.get(Columns.KEY), (String) setting.get(Columns.VALUE),
                    (String) setting.get(Columns.DEFAULT_VALUE), (String) setting.get(Columns.DESCRIPTION)));
        }
        settings.sort(Comparator.comparing(SettingValue::key));
        return settings;
    }

    /**
     * Sets {@code key=value} lines through the Settings MBean: all of them, or none when one is invalid.
     *
     * @throws SondeException of kind INVALID_INPUT with the runtime's own one-sentence reason when it refuses
     */
    public void apply(String propertiesText) {
        call(() -> server.invoke(SETTINGS, RuntimeMBeans.Settings.APPLY, new Object[] {propertiesText},
                new String[] {String.class.getName()}));
    }

    /** Closes the connection, waiting a moment at most: a JVM that went quiet must not hold the command. */
    @Override
    public void close() {
        try {
            attempt(pid, CLOSE_TIMEOUT, () -> {
                closeQuietly(connector);
                return null;
            });
        } catch (SondeException tooSlow) {
            // the JVM stopped answering; its side of the connection ends when it does
        }
    }

    private <T> T call(Callable<T> exchange) {
        return attempt(pid, timeout, exchange);
    }

    private static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        String address;
        try {
            address = vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
        return JMXConnectorFactory.connect(new JMXServiceURL(address));
    }

    /** Runs one exchange with the JVM on a thread of its own, so that a JVM that never answers costs only the timeout. */
    private static <T> T attempt(long pid, Duration timeout, Callable<T> exchange) {
        FutureTask<T> task = new FutureTask<>(exchange);
        Thread.ofPlatform().daemon().name("sonde-inspect-" + pid).start(task);
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw SondeException.timeout("JVM " + pid + " did not answer within " + DurationText.format(timeout)
                    + " (it may be hung, or held by a debugger); try again, or give it longer with --timeout.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw SondeException.timeout("Inspecting JVM " + pid + " was interrupted; run the command again.");
        } catch (ExecutionException e) {
            throw translate(pid, e.getCause());
        }
    }

    private static RuntimeException translate(long pid, Throwable failure) {
        if (failure instanceof SondeException sonde) {
            return sonde;
        }
        // The runtime refuses an invalid setting with an IllegalArgumentException that carries its one-sentence reason.
        if (failure instanceof JMRuntimeException refused) {
            for (Throwable cause = refused.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid) {
                    return SondeException.invalidInput(invalid.getMessage());
                }
            }
        }
        if (failure instanceof AttachNotSupportedException notAnswering) {
            return SondeException.timeout("JVM " + pid + " did not answer the attach request (" + notAnswering.getMessage()
                    + "); try again in a moment, and check that it is not hung or held by a debugger.");
        }
        if (failure instanceof IOException && failure.getMessage() != null && failure.getMessage().contains("ermission denied")) {
            return SondeException.connection("JVM " + pid + " refused the attach request (" + failure.getMessage()
                    + "); run sonde as the user that started the JVM.", failure);
        }
        if (failure instanceof IOException && failure.getClass().getSimpleName().equals("AttachOperationFailedException")) {
            return SondeException.connection("JVM " + pid + " could not start its JMX agent (" + failure.getMessage()
                    + "); it needs the jdk.management.agent module.", failure);
        }
        if (failure instanceof IOException || failure instanceof JMException) {
            return gone(pid, failure);
        }
        return SondeException.from(failure);
    }

    private static SondeException gone(long pid, Throwable failure) {
        return SondeException.targetGone("The connection to JVM " + pid + " failed (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + "); check that it still runs with `sonde ps`.");
    }

    private static SondeException notAttachable(ProcessHandle process) {
        Optional<String> owner = process.info().user();
        Optional<String> self = ProcessHandle.current().info().user();
        if (owner.isPresent() && self.isPresent() && !owner.get().equals(self.get())) {
            return SondeException.connection("Process " + process.pid() + " belongs to user " + owner.get()
                    + ", and a JVM can only be inspected by the user that runs it; run sonde as " + owner.get() + ".", null);
        }
        if (runsWith(process, DISABLED_ATTACH)) {
            return SondeException.connection("JVM " + process.pid() + " does not accept attach requests (it runs with "
                    + DISABLED_ATTACH + "); restart it without that flag to inspect it.", null);
        }
        return SondeException.connection("Process " + process.pid() + " is not a JVM that sonde can attach to; "
                + "`sonde ps` lists the JVMs you can inspect.", null);
    }

    private static boolean runsJava(ProcessHandle process) {
        return process.info().command().map(command -> Path.of(command).getFileName().toString())
                .filter(name -> name.equals("java") || name.equals("java.exe")).isPresent();
    }

    private static boolean runsWith(ProcessHandle process, String option) {
        return process.info().arguments().map(arguments -> List.of(arguments).contains(option)).orElse(false);
    }

    private static void closeQuietly(JMXConnector connector) {
        try {
            connector.close();
        } catch (IOException alreadyClosed) {
            // the JVM went away: nothing is left to close
        }
    }
}
