package dev.sonde.dashboard.jvm;

import com.sun.tools.attach.AttachOperationFailedException;
import com.sun.tools.attach.VirtualMachine;
import dev.sonde.core.launch.BindPolicy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The JMX connector Sonde uses inside a local JVM, and what stays open there once Sonde has gone (the JDK cannot stop
 * it through the Attach API). The JDK's own local agent ({@code startLocalManagementAgent}) listens on every
 * interface and only filters connections to local ones, so Sonde prefers to start the JDK's remote agent bound to
 * loopback, without password or TLS, and records its address so later Sonde commands reuse it. A JVM that already runs
 * the JDK's local agent is reached through that one: nothing new opens.
 *
 * @param url  the connector's JMX service URL
 * @param kind how it came about
 */
public record LocalAgent(String url, Kind kind) {

    public enum Kind {
        /** Sonde started a loopback connector just now. */
        LOOPBACK_STARTED,
        /** A loopback connector Sonde started earlier. */
        LOOPBACK_REUSED,
        /** The JDK's local agent, which the JVM already ran. */
        JDK_LOCAL_REUSED,
        /** The JDK's local agent, started because a loopback connector was not possible. */
        JDK_LOCAL_STARTED
    }

    private static final String LOCAL_CONNECTOR = "com.sun.management.jmxremote.localConnectorAddress";
    private static final String PREFIX = "com.sun.management.jmxremote.";

    /** One line on what stays open in the JVM, for {@code sonde inspect}'s output. */
    public String leftOpen(long pid) {
        return switch (kind) {
            case LOOPBACK_STARTED, LOOPBACK_REUSED -> "JMX: JVM " + pid + " keeps the connector Sonde " + (kind == Kind.LOOPBACK_STARTED
                    ? "started" : "started earlier") + " on " + registry() + " until it exits (loopback only, no password: any local"
                    + " user can connect; Sonde reuses it).";
            case JDK_LOCAL_REUSED -> "JMX: used the JDK's local JMX agent JVM " + pid + " already ran; it listens on every interface"
                    + " (local connections only, no password) until the JVM exits.";
            case JDK_LOCAL_STARTED -> "JMX: Sonde started the JDK's local JMX agent in JVM " + pid + " (a loopback-only connector was"
                    + " not possible); it listens on every interface (local connections only, no password) until the JVM exits.";
        };
    }

    private String registry() {
        int at = url.indexOf("rmi://", url.indexOf("jndi/"));
        return at < 0 ? url : url.substring(at + "rmi://".length(), url.lastIndexOf('/'));
    }

    /** Reaches the MBeans of local JVM {@code pid} as the class comment says, and connects. */
    static Connected reach(long pid) throws Exception {
        Path records = recordsDirectory();
        String key = pid + "-" + ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).map(i -> i.toEpochMilli()).orElse(0L);
        Path record = records.resolve(key + ".url");
        // One Sonde process at a time decides for a JVM, so two never start two connectors (the second would fail).
        try (FileChannel lockFile = FileChannel.open(records.resolve(pid + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                String local = vm.getAgentProperties().getProperty(LOCAL_CONNECTOR);
                if (local != null) {
                    return connect(new LocalAgent(local, Kind.JDK_LOCAL_REUSED));
                }
                if (Files.isRegularFile(record)) {
                    Optional<Connected> reused = tryConnect(new LocalAgent(Files.readString(record).strip(), Kind.LOOPBACK_REUSED));
                    if (reused.isPresent()) {
                        return reused.get();
                    }
                    Files.deleteIfExists(record);
                }
                Optional<String> loopback = startLoopback(vm, stubHost(vm));
                if (loopback.isPresent()) {
                    Optional<Connected> started = tryConnect(new LocalAgent(loopback.get(), Kind.LOOPBACK_STARTED));
                    if (started.isPresent()) {
                        Files.writeString(record, loopback.get());
                        return started.get();
                    }
                }
                return connect(new LocalAgent(vm.startLocalManagementAgent(), Kind.JDK_LOCAL_STARTED));
            } finally {
                vm.detach();
            }
        }
    }

    /** An open connector and the agent it goes through. */
    record Connected(JMXConnector connector, LocalAgent agent) {
    }

    private static Connected connect(LocalAgent agent) throws IOException {
        return new Connected(JMXConnectorFactory.connect(new JMXServiceURL(agent.url())), agent);
    }

    private static Optional<Connected> tryConnect(LocalAgent agent) {
        try {
            return Optional.of(connect(agent));
        } catch (IOException | RuntimeException unreachable) {
            return Optional.empty();
        }
    }

    /**
     * The host the JVM's RMI stubs will name: its {@code java.rmi.server.hostname}, else this machine's name as it
     * resolves (127.0.1.1 on Debian). The connector must listen there, or a client that follows the stub is refused.
     */
    private static InetAddress stubHost(VirtualMachine vm) throws IOException {
        String configured = vm.getSystemProperties().getProperty("java.rmi.server.hostname");
        return configured != null ? InetAddress.getByName(configured) : InetAddress.getLocalHost();
    }

    /** Starts the JDK's remote agent on a free port of {@code host} if that is loopback; empty when it cannot be. */
    private static Optional<String> startLoopback(VirtualMachine vm, InetAddress host) throws IOException {
        if (!host.isLoopbackAddress()) {
            return Optional.empty();
        }
        for (int attempt = 1; attempt <= 3; attempt++) {
            int port = BindPolicy.freePort(host);
            Properties properties = new Properties();
            properties.setProperty(PREFIX + "host", host.getHostAddress());
            properties.setProperty(PREFIX + "port", Integer.toString(port));
            properties.setProperty(PREFIX + "rmi.port", Integer.toString(port));
            properties.setProperty(PREFIX + "authenticate", "false");
            properties.setProperty(PREFIX + "ssl", "false");
            properties.setProperty(PREFIX + "registry.ssl", "false");
            try {
                vm.startManagementAgent(properties);
                return Optional.of("service:jmx:rmi:///jndi/rmi://" + host.getHostAddress() + ":" + port + "/jmxrmi");
            } catch (AttachOperationFailedException refused) {
                if (String.valueOf(refused.getMessage()).contains("already started")) {
                    // The JVM runs a remote agent of its own (or one Sonde lost track of): it cannot start another.
                    return Optional.empty();
                }
                // Most likely the free port was taken meanwhile: try another.
            }
        }
        return Optional.empty();
    }

    /** Where the loopback connectors' addresses are kept: private to this user, gone at logout where the system allows. */
    private static Path recordsDirectory() throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path base = runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))
                ? Path.of(runtime, "sonde") : Path.of(System.getProperty("user.home"), ".cache", "sonde");
        Path directory = base.resolve("jmx");
        Files.createDirectories(directory);
        try {
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        } catch (UnsupportedOperationException notPosix) {
            // the user's profile directory is private enough there
        }
        return directory;
    }
}
