package dev.sonde.cli.attach;

import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.console.ConsoleOptions;
import dev.sonde.cli.console.ConsoleSession;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.launch.HostPort;
import dev.sonde.dap.client.DapClientOptions;
import dev.sonde.dap.client.DapConnector;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;

/** {@code sonde attach HOST:PORT}: a console on a JVM that listens for a debugger. */
@Command(name = "attach",
        mixinStandardHelpOptions = true,
        description = {"Attach to a JVM listening for a debugger and open a console (or run --exec commands).",
                "The JVM must have been started with -agentlib:jdwp=transport=dt_socket,server=y,address=PORT",
                "(`sonde launch` does that for you). Leaving the console detaches; the JVM keeps running."},
        footer = {"", "Examples:",
                "  sonde attach 127.0.0.1:5005",
                "  sonde attach 5005 --exec 'break Orders.java:42' --exec wait --exec where --exec locals --json",
                "  sonde attach --dap 127.0.0.1:5678 --exec 'break app.py:12' --exec cont --exec wait --exec locals   (debugpy)"},
        sortOptions = false)
public final class AttachCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Where the JVM's debug agent listens (a bare port means 127.0.0.1).")
    String address;

    @Mixin
    ConsoleOptions console;

    @Option(names = "--dap", description = "The address is a Debug Adapter Protocol server, such as debugpy's"
            + " (python3 -m debugpy --listen HOST:PORT --wait-for-client app.py, or `sonde launch --python`).")
    boolean dap;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long to keep trying while nothing listens yet (default: attach.timeout, 10s).")
    String timeout;

    @Option(names = "--async-stacks", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = {"When the JVM runs on this machine, load the Sonde agent into it to capture async stacks from now on, so",
                    "`where` shows the code that scheduled the work a thread runs; --no-async-stacks leaves the JVM as it is."})
    boolean asyncStacks = true;

    @Override
    public Integer call() {
        HostPort target = HostPort.parse(address);
        ConfigLoader.Loaded loaded = global.loadConfig();
        if (timeout != null) {
            loaded = loaded.override("attach.timeout", timeout, "--timeout");
        }
        loaded = console.apply(loaded);
        var config = loaded.config();
        var connector = dap ? DapConnector.attach(target, DapClientOptions.from(config))
                : JdiConnector.attach(target, JdiOptions.from(config).withAsyncAttach(asyncStacks));
        var plan = new ConsoleSession.Plan("attach", target.toString(), connector, console.execs(), console.json(), false);
        return ConsoleSession.run(plan, config, root.in(), root.out(), root.err());
    }
}
