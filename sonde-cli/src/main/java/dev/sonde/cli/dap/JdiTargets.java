package dev.sonde.cli.dap;

import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.agent.AsyncStacksLaunch;
import dev.sonde.core.backend.Connector;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.dap.server.TargetFactory;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Targets of {@code sonde dap}, reached through the JVM backend; launched JVMs are stopped when Sonde exits, whatever happens. */
final class JdiTargets implements TargetFactory {

    private final ServerManager servers;
    private final JdiOptions options;
    private final Path defaultJava;
    private final boolean asyncStacks;

    /**
     * @param defaultJava the {@code java} for launches that name none ({@code server.java}); null for the one running Sonde
     * @param asyncStacks whether launched JVMs start with the agent capturing async stacks, and attached JVMs of this
     *                    machine have it loaded
     */
    JdiTargets(ServerManager servers, JdiOptions options, Path defaultJava, boolean asyncStacks) {
        this.servers = servers;
        this.options = options;
        this.defaultJava = defaultJava;
        this.asyncStacks = asyncStacks;
    }

    @Override
    public Connector launch(JvmLaunchSpec spec) {
        JvmLaunchSpec withJava = spec.javaExecutable() == null && defaultJava != null ? spec.withJava(defaultJava) : spec;
        return JdiConnector.launch(asyncStacks ? withAsyncStacks(withJava) : withJava, servers, options);
    }

    private static JvmLaunchSpec withAsyncStacks(JvmLaunchSpec spec) {
        if (spec.javaArgs().stream().anyMatch(arg -> arg.startsWith("-javaagent:") && arg.contains("sonde-agent"))) {
            return spec;
        }
        List<String> javaArgs = new ArrayList<>();
        try {
            javaArgs.addAll(AsyncStacksLaunch.jvmArgs(false));
        } catch (AgentClient.AgentUnavailable e) {
            throw SondeException.invalidInput(e.getMessage());
        }
        javaArgs.addAll(spec.javaArgs());
        return new JvmLaunchSpec(javaArgs, spec.javaExecutable(), spec.bindAddress(), spec.port(), spec.allowRemote(), spec.suspend(),
                spec.workingDirectory(), spec.environment(), spec.inheritStdin());
    }

    @Override
    public Connector attach(HostPort address, Duration timeout) {
        return JdiConnector.attach(address, options.withAttachTimeout(timeout).withAsyncAttach(asyncStacks));
    }
}
