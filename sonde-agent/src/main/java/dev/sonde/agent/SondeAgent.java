package dev.sonde.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * Entry point of the agent jar, and the only agent class the application's class loader sees. It makes a private
 * directory (0700), puts the spy on the boot class path and starts the agent's core in a class loader of its own.
 * Loading the agent again is a no-op: the running agent keeps its socket, and a client reconnects to it.
 */
public final class SondeAgent {

    /** The system property that names the agent's private directory once it runs. */
    public static final String DIRECTORY_PROPERTY = "sonde.agent.dir";
    private static final String SPY = "dev/sonde/agent/spy/SondeSpy";

    private SondeAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        agentmain(args, instrumentation);
    }

    public static synchronized void agentmain(String args, Instrumentation instrumentation) throws Exception {
        List<String> options = args == null ? List.of() : List.of(args.split(","));
        boolean asyncOnly = options.contains("async-only");
        if (asyncOnly || options.contains("async")) {
            startAsyncStacks(args, instrumentation);
        }
        if (asyncOnly || System.getProperty(DIRECTORY_PROPERTY) != null) {
            return;
        }
        Path directory = Files.createTempDirectory("sonde-agent-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path ownJar = Path.of(SondeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path agentJar = Files.copy(ownJar, directory.resolve("sonde-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        putSpyOnBootPath(instrumentation, agentJar, directory);
        ClassLoader core = new URLClassLoader("sonde-agent", new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        core.loadClass("dev.sonde.agent.core.AgentCore")
                .getMethod("start", Instrumentation.class, Path.class)
                .invoke(null, instrumentation, directory);
        System.setProperty(DIRECTORY_PROPERTY, directory.toString());
    }

    /**
     * Async-stack capture ({@code async} in the options; {@code async-only} starts it without the probe socket). It
     * needs the spy on the boot class path: there already when the launcher put it on {@code -Xbootclasspath/a:}, else
     * from a private copy of this jar, as for the probes. A failure leaves the application running without it.
     */
    private static void startAsyncStacks(String args, Instrumentation instrumentation) {
        try {
            Path ownJar = Path.of(SondeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path agentJar = ownJar;
            if (!spyOnBootPath()) {
                Path directory = Files.createTempDirectory("sonde-async-" + ProcessHandle.current().pid() + "-",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                agentJar = Files.copy(ownJar, directory.resolve("sonde-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
                putSpyOnBootPath(instrumentation, agentJar, directory);
            }
            ClassLoader loader = new URLClassLoader("sonde-async", new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            loader.loadClass("dev.sonde.agent.async.AsyncStacks")
                    .getMethod("start", Instrumentation.class, String.class)
                    .invoke(null, instrumentation, args);
        } catch (Exception | LinkageError e) {
            System.err.println("sonde agent: async stacks are off, capture could not start: " + e);
        }
    }

    private static boolean spyOnBootPath() {
        return ClassLoader.getPlatformClassLoader().getResource(SPY + "Async.class") != null;
    }

    /** Unless the spy is there already ({@code -Xbootclasspath/a:} on the command line, or loaded before). */
    private static void putSpyOnBootPath(Instrumentation instrumentation, Path agentJar, Path directory) throws IOException {
        if (!spyOnBootPath()) {
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(spyJar(agentJar, directory.resolve("sonde-spy.jar")).toFile()));
        }
    }

    /** A jar holding only the spy and its nested types, copied out of the agent jar. */
    private static Path spyJar(Path agentJar, Path target) throws IOException {
        try (JarFile agent = new JarFile(agentJar.toFile()); JarOutputStream out = new JarOutputStream(Files.newOutputStream(target))) {
            for (JarEntry entry : agent.stream().filter(e -> e.getName().startsWith(SPY)).toList()) {
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream in = agent.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return target;
    }
}
