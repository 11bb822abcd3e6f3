package dev.sonde.cli.dap;

import dev.sonde.core.backend.Connector;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.dap.server.TargetFactory;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.nio.file.Path;
import java.time.Duration;

/** Targets of {@code sonde dap}, reached through the JVM backend; launched JVMs are stopped when Sonde exits, whatever happens. */
final class JdiTargets implements TargetFactory {

    private final ServerManager servers;
    private final JdiOptions options;
    private final Path defaultJava;

    /** @param defaultJava the {@code java} for launches that name none ({@code server.java}); null for the one running Sonde */
    JdiTargets(ServerManager servers, JdiOptions options, Path defaultJava) {
        this.servers = servers;
        this.options = options;
        this.defaultJava = defaultJava;
    }

    @Override
    public Connector launch(JvmLaunchSpec spec) {
        JvmLaunchSpec withJava = spec.javaExecutable() == null && defaultJava != null ? spec.withJava(defaultJava) : spec;
        return JdiConnector.launch(withJava, servers, options);
    }

    @Override
    public Connector attach(HostPort address, Duration timeout) {
        return JdiConnector.attach(address, options.withAttachTimeout(timeout));
    }
}
