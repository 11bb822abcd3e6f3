package dev.sonde.cli.console;

import dev.sonde.core.agent.ProbeRoute;
import dev.sonde.core.config.ConfigLoader;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** The options of every command that opens a console: batch commands, JSON lines, and evaluation without target code. */
public final class ConsoleOptions {

    @Option(names = {"-e", "--exec"}, paramLabel = "CMD",
            description = "Run this console command (repeatable) in order, without a prompt, then end the session. Exit code 0 when all succeed.")
    List<String> execs = new ArrayList<>();

    @Option(names = "--json", description = "One JSON object per line for every result and event (schema: docs/json-lines.md).")
    boolean json;

    @Option(names = "--no-invoke", description = "Never run code in the target to evaluate expressions (method calls, new, toString);"
            + " what would need it fails saying so.")
    boolean noInvoke;

    @Option(names = "--probes", paramLabel = "MODE", description = "How logpoints run: auto (in the Sonde agent when the target is a"
            + " JVM on this machine that takes it, else JDWP), jdwp or agent (default: probes.mode, auto).")
    String probes;

    public List<String> execs() {
        return execs;
    }

    public boolean json() {
        return json;
    }

    /** The configuration with {@code --no-invoke} and {@code --probes} applied. */
    public ConfigLoader.Loaded apply(ConfigLoader.Loaded loaded) {
        ConfigLoader.Loaded result = noInvoke ? loaded.override("eval.invoke", "false", "--no-invoke") : loaded;
        if (probes != null) {
            result = result.override("probes.mode", ProbeRoute.parse(probes).label(), "--probes");
        }
        return result;
    }
}
