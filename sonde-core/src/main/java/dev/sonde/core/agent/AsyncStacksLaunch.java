package dev.sonde.core.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;

/**
 * The JVM arguments that start a launched target with the Sonde agent capturing async stacks. The spy classes go on the
 * boot class path from the command line ({@code -Xbootclasspath/a:}), not appended by the agent at run time: appending
 * then makes the JVM print a warning and give up its class-data sharing for the application's classes.
 */
public final class AsyncStacksLaunch {

    private static final String SPY_PREFIX = "dev/sonde/agent/spy/SondeSpy";

    private AsyncStacksLaunch() {
    }

    /**
     * {@code -Xbootclasspath/a:SPY.jar} and {@code -javaagent:AGENT.jar=async-only} ({@code =async} when the agent's probe
     * socket is wanted too).
     */
    public static List<String> jvmArgs(boolean withProbes) {
        Path agent = AgentClient.agentJar();
        Path spy = spyJar(agent);
        return List.of("-Xbootclasspath/a:" + spy, "-javaagent:" + agent + "=" + (withProbes ? "async" : "async-only"));
    }

    /** The spy classes of the agent jar in a jar of their own next to it, written once. */
    static Path spyJar(Path agentJar) {
        String name = agentJar.getFileName().toString();
        Path spy = agentJar.resolveSibling(name.substring(0, name.length() - ".jar".length()) + "-spy.jar");
        try {
            if (Files.exists(spy) && !Files.getLastModifiedTime(spy).toInstant().isBefore(Files.getLastModifiedTime(agentJar).toInstant())) {
                return spy;
            }
            Path partial = Files.createTempFile(agentJar.getParent(), "sonde-spy", ".part");
            try (JarFile agent = new JarFile(agentJar.toFile()); OutputStream file = Files.newOutputStream(partial);
                 JarOutputStream out = new JarOutputStream(file)) {
                for (JarEntry entry : agent.stream().filter(e -> e.getName().startsWith(SPY_PREFIX)).toList()) {
                    out.putNextEntry(new JarEntry(entry.getName()));
                    try (InputStream in = agent.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                    out.closeEntry();
                }
            }
            Files.move(partial, spy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return spy;
        } catch (IOException e) {
            throw new AgentClient.AgentUnavailable("Cannot write the agent's spy jar next to " + agentJar + " (" + e.getMessage()
                    + "); set TMPDIR to a writable directory, or pass --no-async-stacks.", e);
        }
    }
}
