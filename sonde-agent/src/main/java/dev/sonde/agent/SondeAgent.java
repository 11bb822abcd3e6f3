package dev.sonde.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributes;
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
    /** The agent argument naming the directory to make; it comes last. */
    public static final String DIR_OPTION = "dir=";
    private static final FileAttribute<?> PRIVATE_DIRECTORY = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));

    private SondeAgent() {
    }

    public static void premain(String args, Instrumentation instrumentation) throws Exception {
        agentmain(args, instrumentation);
    }

    public static synchronized void agentmain(String args, Instrumentation instrumentation) throws Exception {
        String given = args == null ? "" : args;
        // dir=PATH comes last and takes the rest of the arguments: the directory the client asks the agent to make
        int dirAt = given.startsWith(DIR_OPTION) ? 0 : given.contains("," + DIR_OPTION) ? given.indexOf("," + DIR_OPTION) + 1 : -1;
        String requestedDirectory = dirAt < 0 ? null : given.substring(dirAt + DIR_OPTION.length());
        List<String> options = List.of((dirAt < 0 ? given : given.substring(0, dirAt)).split(","));
        boolean asyncOnly = options.contains("async-only");
        if (asyncOnly || options.contains("async")) {
            startAsyncStacks(args, instrumentation);
        }
        if (asyncOnly || System.getProperty(DIRECTORY_PROPERTY) != null) {
            return;
        }
        Path directory = privateDirectory(requestedDirectory);
        Path ownJar = Path.of(SondeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path agentJar;
        Path spyJar;
        if (inPrivateDirectory(ownJar)) {
            // the client's copy, named by its content in the user's 0700 directory: used in place, its spy jar made once
            agentJar = ownJar;
            String name = ownJar.getFileName().toString();
            spyJar = ownJar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-spy.jar");
        } else {
            agentJar = Files.copy(ownJar, directory.resolve("sonde-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
            spyJar = directory.resolve("sonde-spy.jar");
        }
        putSpyOnBootPath(instrumentation, agentJar, spyJar);
        ClassLoader core = new URLClassLoader("sonde-agent", new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
        core.loadClass("dev.sonde.agent.core.AgentCore")
                .getMethod("start", Instrumentation.class, Path.class)
                .invoke(null, instrumentation, directory);
        System.setProperty(DIRECTORY_PROPERTY, directory.toString());
    }

    /**
     * The agent's 0700 directory: the one the client named (it then knows where to connect without asking the JVM
     * again), unless that cannot be made (it exists, say), else a new one in the temporary directory.
     */
    private static Path privateDirectory(String requested) throws IOException {
        if (requested != null && !requested.isBlank()) {
            try {
                return Files.createDirectory(Path.of(requested), PRIVATE_DIRECTORY);
            } catch (IOException | RuntimeException e) {
                // a fresh directory of our own below
            }
        }
        return Files.createTempDirectory("sonde-agent-" + ProcessHandle.current().pid() + "-", PRIVATE_DIRECTORY);
    }

    /** Whether {@code jar} is a regular file owned by this JVM's user in a directory that only that user can use. */
    private static boolean inPrivateDirectory(Path jar) {
        try {
            Path parent = jar.getParent();
            if (parent == null || !Files.isRegularFile(jar, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
            String user = System.getProperty("user.name");
            PosixFileAttributes directory = Files.readAttributes(parent, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return directory.isDirectory() && directory.owner().getName().equals(user)
                    && directory.permissions().equals(PosixFilePermissions.fromString("rwx------"))
                    && Files.getOwner(jar, LinkOption.NOFOLLOW_LINKS).getName().equals(user);
        } catch (IOException | RuntimeException e) {
            return false;
        }
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
                Path directory = Files.createTempDirectory("sonde-async-" + ProcessHandle.current().pid() + "-", PRIVATE_DIRECTORY);
                agentJar = Files.copy(ownJar, directory.resolve("sonde-agent.jar"), StandardCopyOption.REPLACE_EXISTING);
                putSpyOnBootPath(instrumentation, agentJar, directory.resolve("sonde-spy.jar"));
            }
            ClassLoader loader = new URLClassLoader("sonde-async", new URL[] {agentJar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            loader.loadClass("dev.sonde.agent.async.AsyncStacks")
                    .getMethod("start", Instrumentation.class, String.class)
                    .invoke(null, instrumentation, args);
        } catch (java.lang.reflect.InvocationTargetException e) {
            System.err.println("sonde agent: " + (e.getCause() instanceof IllegalStateException refused ? refused.getMessage()
                    : "async stacks are off, capture could not start: " + e.getCause()));
        } catch (Exception | LinkageError e) {
            System.err.println("sonde agent: async stacks are off, capture could not start: " + e);
        }
    }

    private static boolean spyOnBootPath() {
        return ClassLoader.getPlatformClassLoader().getResource(SPY + "Async.class") != null;
    }

    /**
     * Unless the spy is there already ({@code -Xbootclasspath/a:} on the command line, or loaded before). The spy jar
     * at {@code spyJar} is made when it is not there yet.
     */
    private static void putSpyOnBootPath(Instrumentation instrumentation, Path agentJar, Path spyJar) throws IOException {
        if (!spyOnBootPath()) {
            if (!Files.isRegularFile(spyJar, LinkOption.NOFOLLOW_LINKS)) {
                // written aside, then moved: a JVM loading the agent at the same moment never sees half a jar
                Path partial = Files.createTempFile(spyJar.getParent(), "sonde-spy", ".part");
                Files.move(spyJar(agentJar, partial), spyJar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(spyJar.toFile()));
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
