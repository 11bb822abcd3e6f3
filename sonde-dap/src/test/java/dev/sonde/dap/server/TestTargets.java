package dev.sonde.dap.server;

import dev.sonde.core.backend.Connector;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.time.Duration;

/** Reaches targets through the JVM backend, as {@code sonde dap} does; launched JVMs end with the test JVM at the latest. */
final class TestTargets implements TargetFactory {

    static final ServerManager SERVERS = new ServerManager();

    @Override
    public Connector launch(JvmLaunchSpec spec) {
        return JdiConnector.launch(spec, SERVERS, JdiOptions.DEFAULT);
    }

    @Override
    public Connector attach(HostPort address, Duration timeout) {
        return JdiConnector.attach(address, JdiOptions.DEFAULT.withAttachTimeout(timeout));
    }
}
