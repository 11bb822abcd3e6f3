package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A JVM to start with the JDWP agent in server mode.
 *
 * @param javaArgs       the arguments to {@code java}, not including the executable ({@code -cp DIR Main})
 * @param javaExecutable the {@code java} to run; null for the one running Sonde
 */
public record JvmLaunchSpec(List<String> javaArgs, Path javaExecutable, String bindAddress, int port,
                            boolean allowRemote, boolean suspend, Path workingDirectory,
                            Map<String, String> environment, boolean inheritStdin) implements LaunchSpec {

    public JvmLaunchSpec {
        javaArgs = List.copyOf(javaArgs);
        environment = Map.copyOf(environment);
        if (javaArgs.isEmpty()) {
            throw SondeException.invalidInput("No java arguments given; put them after --, for example: -- -cp build/classes com.acme.Main");
        }
        for (String arg : javaArgs) {
            String lower = arg.toLowerCase(Locale.ROOT);
            if (lower.startsWith("-agentlib:jdwp") || lower.startsWith("-xrunjdwp") || lower.startsWith("-xdebug")) {
                throw SondeException.invalidInput("The java arguments already contain " + arg
                        + "; remove it, Sonde adds its own debug agent.");
            }
        }
        if (javaExecutable != null && !Files.isExecutable(javaExecutable)) {
            throw SondeException.invalidInput("Java executable " + javaExecutable + " does not exist or cannot be run; give the path to a java binary.");
        }
    }

    /** Loopback, a free port, not suspended, no extra environment. */
    public static JvmLaunchSpec of(List<String> javaArgs) {
        return new JvmLaunchSpec(javaArgs, null, BindPolicy.LOOPBACK, 0, false, false, null, Map.of(), false);
    }

    public JvmLaunchSpec withSuspend(boolean hold) {
        return new JvmLaunchSpec(javaArgs, javaExecutable, bindAddress, port, allowRemote, hold, workingDirectory, environment, inheritStdin);
    }

    public JvmLaunchSpec withBind(String address, int listenPort, boolean remoteAllowed) {
        return new JvmLaunchSpec(javaArgs, javaExecutable, address, listenPort, remoteAllowed, suspend, workingDirectory, environment, inheritStdin);
    }

    public JvmLaunchSpec withJava(Path java) {
        return new JvmLaunchSpec(javaArgs, java, bindAddress, port, allowRemote, suspend, workingDirectory, environment, inheritStdin);
    }

    public JvmLaunchSpec withWorkingDirectory(Path directory) {
        return new JvmLaunchSpec(javaArgs, javaExecutable, bindAddress, port, allowRemote, suspend, directory, environment, inheritStdin);
    }

    public JvmLaunchSpec withEnvironment(Map<String, String> variables) {
        return new JvmLaunchSpec(javaArgs, javaExecutable, bindAddress, port, allowRemote, suspend, workingDirectory, variables, inheritStdin);
    }

    public JvmLaunchSpec withInheritStdin(boolean inherit) {
        return new JvmLaunchSpec(javaArgs, javaExecutable, bindAddress, port, allowRemote, suspend, workingDirectory, environment, inherit);
    }

    /** The java executable that will run: the given one, or the one running Sonde. */
    public Path java() {
        return javaExecutable != null ? javaExecutable : Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Override
    public List<String> describeCommand() {
        return JvmCommandLine.build(this);
    }
}
