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
        if (System.getProperty(DIRECTORY_PROPERTY) != null) {
            return;
        }
        Path directory = Files.createTempDirectory("sonde-agent-" + ProcessHandle.current().pid() + "-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path ownJar = Path.of(SondeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path agentJar = Files.copy(ownJar, directory.resolve("sonde-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(spyJar(agentJar, directory.resolve("sonde-spy.jar")).toFile()));
        ClassLoader core = new URLClassLoader("sonde-agent", new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        core.loadClass("dev.sonde.agent.core.AgentCore")
                .getMethod("start", Instrumentation.class, Path.class)
                .invoke(null, instrumentation, directory);
        System.setProperty(DIRECTORY_PROPERTY, directory.toString());
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
