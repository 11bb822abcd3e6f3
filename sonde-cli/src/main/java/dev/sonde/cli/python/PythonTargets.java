package dev.sonde.cli.python;

import dev.sonde.cli.console.ConsoleSession;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.dap.client.DapClientOptions;
import dev.sonde.dap.client.DapConnector;

import java.util.List;

/** How the launch and debug commands reach a Python script: debugpy and the DAP client backend. */
public final class PythonTargets {

    private PythonTargets() {
    }

    /** {@code sonde debug --python}: the script under debugpy, held until the first {@code cont}, with a console on it. */
    public static ConsoleSession.Plan debugPlan(PythonOptions python, SondeConfig config, ServerManager servers, List<String> execs,
                                                boolean json) {
        return new ConsoleSession.Plan("launch", python.scriptName(),
                DapConnector.launch(python.spec(config), servers, DapClientOptions.from(config)), execs, json, true);
    }

    /** {@code sonde launch --python}'s two lines on where to attach. */
    public static List<String> howToAttach(DebugServer debuggee) {
        return List.of("Debug port " + debuggee.boundAddress() + " (pid " + debuggee.pid() + "), debugpy; the script waits for a debugger.",
                "Attach with `sonde attach --dap " + debuggee.address() + "`, or VS Code's Python debugger (\"request\": \"attach\","
                        + " \"connect\": {\"host\": \"" + debuggee.address().host() + "\", \"port\": " + debuggee.address().port()
                        + "}). Ctrl-C ends it.");
    }
}
