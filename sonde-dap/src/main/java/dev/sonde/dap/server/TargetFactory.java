package dev.sonde.dap.server;

import dev.sonde.core.backend.Connector;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;

import java.time.Duration;

/**
 * How the DAP server reaches targets. The server stays protocol-neutral below DAP: whoever runs it
 * (the {@code sonde dap} command, a test, a benchmark) supplies the backend that speaks to the target.
 */
public interface TargetFactory {

    /** Starts the program a launch request describes, held before {@code main}, and connects to it. */
    Connector launch(JvmLaunchSpec spec);

    /** Connects to a target that listens for a debugger, retrying while nothing listens yet for up to {@code timeout}. */
    Connector attach(HostPort address, Duration timeout);
}
