package dev.sonde.cli.launch;

import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.agent.AsyncStacksLaunch;

import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.ConfigSource;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.BindChoice;
import dev.sonde.core.launch.JvmLaunchSpec;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Flags for the debug port of a JVM that Sonde starts; unset flags fall back to the {@code server} settings. */
public final class ServerOptions {

    @Option(names = "--port", paramLabel = "N", description = "Debug port to listen on; 0 picks a free one (default: server.port, 0).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address the debug port binds to (default: server.bind, 127.0.0.1).")
    String bind;

    @Option(names = "--allow-remote", description = {"Allow a bind address other than loopback. Anyone who can reach a debug",
            "port can run any code in the target: use only on a trusted network."})
    boolean allowRemote;

    @Option(names = "--java", paramLabel = "PATH", description = "The java executable for the target (default: server.java, else the one running Sonde).")
    Path java;

    @Option(names = "--agent", description = {"Start the JVM with the Sonde agent (-javaagent:), so logpoints run in process",
            "from the start, without the warning JDK 21+ prints when an agent is loaded later."})
    boolean agent;

    @Option(names = "--async-stacks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"Start the JVM with the Sonde agent capturing async stacks, so `where` shows the code that scheduled",
                    "the work a thread runs (CompletableFuture stages, executors, thread starts); --no-async-stacks turns it off."})
    boolean asyncStacks = true;

    /**
     * The java arguments with the Sonde agent in front: capturing async stacks unless {@code --no-async-stacks}, with its
     * probe socket when {@code --agent} was given.
     */
    public List<String> javaArgs(List<String> javaArgs) {
        if (!agent && !asyncStacks || javaArgs == null) {
            return javaArgs;
        }
        List<String> withAgent = new ArrayList<>();
        try {
            if (asyncStacks) {
                withAgent.addAll(AsyncStacksLaunch.jvmArgs(agent));
            } else {
                withAgent.add("-javaagent:" + AgentClient.agentJar());
            }
        } catch (AgentClient.AgentUnavailable e) {
            throw SondeException.invalidInput(e.getMessage());
        }
        withAgent.addAll(javaArgs);
        return withAgent;
    }

    /** Applies the flags that were given on top of the loaded configuration. */
    public ConfigLoader.Loaded apply(ConfigLoader.Loaded loaded) {
        ConfigLoader.Loaded result = loaded;
        if (port != null) {
            result = result.override("server.port", port.toString(), "--port");
        }
        if (bind != null) {
            result = result.override("server.bind", bind, "--bind");
        }
        if (allowRemote) {
            result = result.override("server.allowRemote", "true", "--allow-remote");
        }
        if (java != null) {
            result = result.override("server.java", java.toString(), "--java");
        }
        return result;
    }

    /** The debug port's bind settings, refused with a sentence when the user has not allowed a non-loopback bind themselves. */
    public static BindChoice bindChoice(ConfigLoader.Loaded loaded) {
        return BindChoice.of(loaded, "server").requireConsent("the debug port");
    }

    /**
     * A line announcing the java executable when a config file found in the working directory chose it (such a file
     * may have come with a cloned repository); empty otherwise.
     */
    public static Optional<String> javaNote(ConfigLoader.Loaded loaded) {
        String java = loaded.config().server().java();
        if (java == null || java.isBlank() || !(loaded.sources().get("server.java") instanceof ConfigSource.File file)
                || !file.foundInWorkingDirectory()) {
            return Optional.empty();
        }
        return Optional.of("note: the target runs " + java + ", chosen by server.java in " + file.path()
                + "; pass --java to choose another.");
    }

    /** The launch spec for {@code javaArgs} under the effective server settings. */
    public static JvmLaunchSpec spec(List<String> javaArgs, SondeConfig config) {
        SondeConfig.Server server = config.server();
        JvmLaunchSpec spec = JvmLaunchSpec.of(javaArgs == null ? List.of() : javaArgs)
                .withBind(server.bind(), server.port(), server.allowRemote());
        if (server.java() != null && !server.java().isBlank()) {
            spec = spec.withJava(Path.of(server.java()));
        }
        return spec;
    }
}
