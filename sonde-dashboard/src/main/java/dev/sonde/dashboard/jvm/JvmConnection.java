package dev.sonde.dashboard.jvm;

import com.sun.tools.attach.AttachNotSupportedException;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.runtime.jmx.RuntimeMBeans;
import dev.sonde.runtime.jmx.RuntimeMBeans.Columns;

import java.io.IOException;
import java.util.Properties;
import java.io.UncheckedIOException;
import java.io.StringWriter;
import java.lang.reflect.UndeclaredThrowableException;
import java.net.ConnectException;
import java.net.MalformedURLException;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.JMRuntimeException;
import javax.management.MBeanException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static dev.sonde.runtime.jmx.RuntimeMBeans.objectName;

/**
 * A JMX connection to a JVM: a local one by pid through the Attach API (a loopback-only connector started in it, or the
 * JDK's local agent it already runs: see {@link LocalAgent}), or a remote one by JMX service URL. Any JVM answers {@link #platform()};
 * one running sonde-runtime also answers the runtime's snapshot and settings. Only open types and JSON cross the
 * connection, so this side needs no class of sonde-runtime beyond the names in {@link RuntimeMBeans}. Every
 * exchange is bounded by a time limit: a hung JVM cannot hang Sonde.
 */
public final class JvmConnection implements AutoCloseable {

    /** One runtime setting as the Settings MBean lists it. */
    public record SettingValue(String key, String value, String defaultValue, String description) {
    }

    private static final ObjectName RUNTIME = objectName(RuntimeMBeans.Runtime.NAME);
    private static final ObjectName SETTINGS = objectName(RuntimeMBeans.Settings.NAME);
    /** Published by each running Sonde process (debug, attach, dap) in its own JVM. */
    private static final ObjectName SESSIONS = objectName("dev.sonde:type=Sessions");
    private static final String SESSIONS_JSON = "sessionsJson";
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);
    private static final String DISABLED_ATTACH = "-XX:+DisableAttachMechanism";
    private static final Pattern HOST_AND_PORT = Pattern.compile("(\\[[0-9a-fA-F:.]+]|[\\w.-]+):(\\d{1,5})");
    private static final Pattern RMI_REGISTRY = Pattern.compile("rmi://([^/]+)/");

    /** Who the connection is to, for describe() and the error sentences. */
    private record Target(long pid, String url) {

        String label() {
            return url == null ? "JVM " + pid : "JVM at " + url;
        }

        String stillRunsHint() {
            return url == null ? "check that it still runs with `sonde ps`" : "check that it still runs and listens there";
        }
    }

    private final Target target;
    private final long pid;
    private final String mainClass;
    private final Duration timeout;
    private final JMXConnector connector;
    private final MBeanServerConnection server;
    private final PlatformMBeans platform;
    private volatile boolean hasRuntime;
    /** How a local JVM was reached; null for a remote one. */
    private final LocalAgent agent;

    private JvmConnection(Target target, long pid, String mainClass, Duration timeout, JMXConnector connector,
                          MBeanServerConnection server, PlatformMBeans platform, boolean hasRuntime, LocalAgent agent) {
        this.target = target;
        this.pid = pid;
        this.mainClass = mainClass;
        this.timeout = timeout;
        this.connector = connector;
        this.server = server;
        this.platform = platform;
        this.hasRuntime = hasRuntime;
        this.agent = agent;
    }

    /**
     * Connects to the local JVM with this pid, with or without sonde-runtime.
     *
     * @throws SondeException when there is no such process, it is not a JVM this user can attach to, or it does
     *                        not answer within the timeout
     */
    public static JvmConnection open(long pid, Duration timeout) {
        if (pid == ProcessHandle.current().pid()) {
            throw SondeException.invalidInput("Pid " + pid + " is this sonde process itself; give the pid of the service "
                    + "(`sonde ps` lists the JVMs).");
        }
        ProcessHandle process = ProcessHandle.of(pid).orElseThrow(() -> SondeException.targetGone(
                "No process has pid " + pid + "; `sonde ps` lists the JVMs you can inspect."));
        Optional<LocalJvm> listed = LocalJvms.find(pid);
        // A JVM without shared performance data (-XX:-UsePerfData, -XX:+PerfDisableSharedMem) is not listed, yet attachable.
        if (listed.isEmpty() && (!runsJava(process) || runsWith(process, DISABLED_ATTACH))) {
            throw notAttachable(process);
        }
        Target target = new Target(pid, null);
        LocalAgent.Connected connected = attempt(target, timeout, () -> attachLocally(pid));
        String mainClass = listed.map(LocalJvm::mainClass).orElse("?");
        return finishOpening(target, mainClass, timeout, connected.connector(), connected.agent());
    }

    /**
     * Connects to a JVM by its JMX service URL, e.g. {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}
     * (as a JVM started with {@code -Dcom.sun.management.jmxremote.port=PORT} serves it); {@code HOST:PORT} is
     * short for that URL.
     *
     * @param username null when the JVM does not ask for credentials
     * @param password null when the JVM does not ask for credentials
     * @throws SondeException with one sentence for a malformed URL, nothing listening, refused credentials, or no
     *                        answer within the timeout
     */
    public static JvmConnection connect(String jmxServiceUrl, String username, String password, Duration timeout) {
        JMXServiceURL url = serviceUrl(jmxServiceUrl);
        Target target = new Target(-1, url.toString());
        Map<String, Object> environment = new HashMap<>();
        if (username != null) {
            environment.put(JMXConnector.CREDENTIALS, new String[] {username, password});
        }
        JMXConnector connector = attempt(target, timeout, () -> {
            JMXConnector connected = JMXConnectorFactory.connect(url, environment);
            if (Thread.currentThread().isInterrupted()) {
                closeQuietly(connected); // the caller stopped waiting: nobody would close it
            }
            return connected;
        }, failure -> remoteFailure(url, username, failure));
        return finishOpening(target, "?", timeout, connector, null);
    }

    /** {@code HOST:PORT} or a JMX service URL, as a {@link JMXServiceURL}. */
    static JMXServiceURL serviceUrl(String text) {
        String given = text == null ? "" : text.strip();
        Matcher hostAndPort = HOST_AND_PORT.matcher(given);
        String url = hostAndPort.matches()
                ? "service:jmx:rmi:///jndi/rmi://" + hostAndPort.group(1) + ":" + hostAndPort.group(2) + "/jmxrmi" : given;
        try {
            return new JMXServiceURL(url);
        } catch (MalformedURLException | RuntimeException malformed) {
            throw SondeException.invalidInput("'" + given + "' is not a JMX service URL; write it as "
                    + "service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi, or HOST:PORT for short.");
        }
    }

    /** Reads what stays put (the pid, the platform MBeans there are, whether sonde-runtime is in), or closes. */
    private static JvmConnection finishOpening(Target target, String mainClass, Duration timeout, JMXConnector connector,
                                               LocalAgent agent) {
        boolean remote = agent == null;
        try {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            record Probed(PlatformMBeans platform, boolean hasRuntime) {
            }
            Probed probed = attempt(target, timeout, () -> new Probed(PlatformMBeans.probe(server, remote), server.isRegistered(RUNTIME)));
            long pid = remote ? probed.platform().pid() : target.pid();
            String main = remote ? LocalJvms.mainClass(probed.platform().command()) : mainClass;
            return new JvmConnection(target, pid, main, timeout, connector, server, probed.platform(), probed.hasRuntime(), agent);
        } catch (IOException | RuntimeException e) {
            closeQuietly(connector);
            throw e instanceof SondeException sonde ? sonde : gone(target, e);
        }
    }

    /** {@code JVM 4242 (com.acme.Main)} for a local JVM, {@code JVM at service:jmx:...} for a remote one. */
    public String describe() {
        return target.url() == null ? target.label() + " (" + mainClass + ")" : target.label();
    }

    /** For a local JVM, the JMX connector used and what stays open in the JVM afterwards; empty for a remote one. */
    public Optional<LocalAgent> localAgent() {
        return Optional.ofNullable(agent);
    }

    /** Whether sonde-runtime's Runtime MBean was registered when the connection opened (or at the last refresh). */
    public boolean hasRuntime() {
        return hasRuntime;
    }

    /** Looks again whether sonde-runtime is in the JVM (it may be installed after the JVM started); one round trip. */
    public boolean refreshHasRuntime() {
        hasRuntime = call(() -> server.isRegistered(RUNTIME));
        return hasRuntime;
    }

    /** What the JVM itself says over its platform MBeans: CPU, memory, GC, threads, deadlocks and lock waits. */
    public PlatformSnapshot platform() {
        return call(platform::read);
    }

    /**
     * The debug sessions a Sonde process in that JVM publishes (its {@code dev.sonde:type=Sessions} MBean), as
     * JSON; empty when the JVM is no Sonde process.
     */
    public Optional<String> sessionsJson() {
        return call(() -> {
            try {
                return Optional.of((String) server.invoke(SESSIONS, SESSIONS_JSON, new Object[0], new String[0]));
            } catch (InstanceNotFoundException noSondeHere) {
                return Optional.empty();
            }
        });
    }

    /** The JVM's pid: as given to {@link #open}, or as a remote JVM's RuntimeMXBean tells it (-1 when it does not). */
    public long pid() {
        return pid;
    }

    /** The JVM's main class (or jar), as {@code sonde ps} shows it; {@code ?} when the JVM does not say. */
    public String mainClass() {
        return mainClass;
    }

    /** The runtime's JSON snapshot, as the runtime wrote it. */
    public String snapshotJson() {
        requireRuntime();
        return call(() -> (String) server.invoke(RUNTIME, RuntimeMBeans.Runtime.SNAPSHOT_JSON, new Object[0], new String[0]));
    }

    /**
     * The runtime's JSON snapshot with only the newest {@code newest} entries of each recent list: a tenth of a busy
     * runtime's full document, for pollers. A runtime older than this operation answers with the whole document.
     */
    public String snapshotJson(int newest) {
        requireRuntime();
        return call(() -> {
            try {
                return (String) server.invoke(RUNTIME, RuntimeMBeans.Runtime.COMPACT_SNAPSHOT_JSON, new Object[] {newest},
                        new String[] {Integer.class.getName()});
            } catch (javax.management.ReflectionException olderRuntime) {
                return (String) server.invoke(RUNTIME, RuntimeMBeans.Runtime.SNAPSHOT_JSON, new Object[0], new String[0]);
            }
        });
    }

    public RuntimeSnapshot snapshot() {
        return RuntimeSnapshot.parse(snapshotJson());
    }

    /** Every setting with its value and default, in the runtime's order. */
    public List<SettingValue> settings() {
        requireRuntime();
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
        requireRuntime();
        call(() -> server.invoke(SETTINGS, RuntimeMBeans.Settings.APPLY, new Object[] {propertiesText},
                new String[] {String.class.getName()}));
    }

    /** Sets {@code key → value} changes, all or none; any value travels intact (the Settings MBean reads properties text). */
    public void apply(Map<String, String> changes) {
        Properties properties = new Properties();
        properties.putAll(changes);
        StringWriter text = new StringWriter();
        try {
            properties.store(text, null);
        } catch (IOException impossible) {
            throw new UncheckedIOException(impossible);
        }
        apply(text.toString());
    }

    /** Closes the connection, waiting a moment at most: a JVM that went quiet must not hold the command. */
    @Override
    public void close() {
        try {
            attempt(target, CLOSE_TIMEOUT, () -> {
                closeQuietly(connector);
                return null;
            });
        } catch (SondeException tooSlow) {
            // the JVM stopped answering; its side of the connection ends when it does
        }
    }

    /** Throws the one sentence on how to add sonde-runtime, after a second look in case it was installed since. */
    private void requireRuntime() {
        if (!hasRuntime && !refreshHasRuntime()) {
            throw new SondeException(ErrorKind.UNSUPPORTED, describe() + " does not run sonde-runtime; add the dev.sonde:sonde-runtime "
                    + "dependency and call SondeRuntime.install() at startup, as docs/runtime.md shows.");
        }
    }

    private <T> T call(Callable<T> exchange) {
        return attempt(target, timeout, exchange);
    }

    private static LocalAgent.Connected attachLocally(long pid) throws Exception {
        LocalAgent.Connected connected = LocalAgent.reach(pid);
        if (Thread.currentThread().isInterrupted()) {
            closeQuietly(connected.connector()); // the caller stopped waiting: nobody would close it
        }
        return connected;
    }

    private static <T> T attempt(Target target, Duration timeout, Callable<T> exchange) {
        return attempt(target, timeout, exchange, failure -> null);
    }

    /**
     * Runs one exchange with the JVM on a thread of its own, so that a JVM that never answers costs only the timeout.
     *
     * @param explain a sentence for a failure particular to this exchange, or null to use the general ones
     */
    private static <T> T attempt(Target target, Duration timeout, Callable<T> exchange,
                                 Function<Throwable, SondeException> explain) {
        FutureTask<T> task = new FutureTask<>(exchange);
        Thread.ofPlatform().daemon().name("sonde-jmx-" + (target.url() == null ? target.pid() : "remote")).start(task);
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            throw SondeException.timeout(target.label() + " did not answer within " + DurationText.format(timeout)
                    + " (it may be hung, or held by a debugger); try again, or give it longer with --timeout.");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            task.cancel(true);
            throw SondeException.timeout("Talking to " + target.label() + " was interrupted; run the command again.");
        } catch (ExecutionException e) {
            Throwable failure = e.getCause() instanceof UndeclaredThrowableException proxied && proxied.getCause() != null
                    ? proxied.getCause() : e.getCause();
            SondeException explained = explain.apply(failure);
            throw explained != null ? explained : translate(target, failure);
        }
    }

    private static RuntimeException translate(Target target, Throwable failure) {
        if (failure instanceof SondeException sonde) {
            return sonde;
        }
        // The runtime refuses an invalid setting with an IllegalArgumentException that carries its one-sentence reason.
        if (failure instanceof JMRuntimeException || failure instanceof MBeanException) {
            for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof IllegalArgumentException invalid) {
                    return SondeException.invalidInput(invalid.getMessage());
                }
            }
        }
        if (failure instanceof AttachNotSupportedException notAnswering) {
            return SondeException.timeout(target.label() + " did not answer the attach request (" + notAnswering.getMessage()
                    + "); try again in a moment, and check that it is not hung or held by a debugger.");
        }
        if (failure instanceof IOException && failure.getMessage() != null && failure.getMessage().contains("ermission denied")) {
            return SondeException.connection(target.label() + " refused the attach request (" + failure.getMessage()
                    + "); run sonde as the user that started the JVM.", failure);
        }
        if (failure instanceof IOException && failure.getClass().getSimpleName().equals("AttachOperationFailedException")) {
            return SondeException.connection(target.label() + " could not start its JMX agent (" + failure.getMessage()
                    + "); it needs the jdk.management.agent module.", failure);
        }
        if (failure instanceof SecurityException refused) {
            return SondeException.connection(target.label() + " does not let this user do that (" + refused.getMessage()
                    + "); connect with a user that has the controlRole (readwrite) access.", refused);
        }
        if (failure instanceof IOException || failure instanceof JMException) {
            return gone(target, failure);
        }
        return SondeException.from(failure);
    }

    /** The sentences of connecting to a remote JVM: nothing there, unknown host, credentials refused; null for others. */
    private static SondeException remoteFailure(JMXServiceURL url, String username, Throwable failure) {
        if (failure instanceof SecurityException refused) {
            return SondeException.connection(username == null
                    ? "JVM at " + url + " asks for a username and password (" + refused.getMessage() + "); give the ones in its "
                    + "jmxremote.password file."
                    : "JVM at " + url + " refused the username and password (" + refused.getMessage() + "); check them against its "
                    + "jmxremote.password file.", refused);
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return SondeException.connection("Nothing listens for JMX at " + registry(url) + " (connection refused); check the "
                        + "host and port, and that the JVM runs with -Dcom.sun.management.jmxremote.port=PORT.", failure);
            }
            if (cause instanceof UnknownHostException unknown) {
                return SondeException.connection("The host of " + url + " is unknown (" + unknown.getMessage() + "); check its name.",
                        failure);
            }
        }
        return null;
    }

    /** HOST:PORT of the RMI registry in a {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi} URL, else the whole URL. */
    private static String registry(JMXServiceURL url) {
        Matcher registry = RMI_REGISTRY.matcher(url.getURLPath());
        if (registry.find()) {
            return registry.group(1);
        }
        return url.getHost().isEmpty() ? url.toString() : url.getHost() + ":" + url.getPort();
    }

    private static SondeException gone(Target target, Throwable failure) {
        return SondeException.targetGone("The connection to " + target.label() + " failed (" + failure.getClass().getSimpleName()
                + (failure.getMessage() == null ? "" : ": " + failure.getMessage()) + "); " + target.stillRunsHint() + ".");
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
