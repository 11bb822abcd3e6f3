package dev.sonde.cli.debug;

import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.console.ConsoleOptions;
import dev.sonde.cli.console.ConsoleSession;
import dev.sonde.cli.launch.ServerOptions;
import dev.sonde.cli.python.PythonOptions;
import dev.sonde.cli.python.PythonTargets;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code sonde debug -- <java args>}: launch a JVM under the debugger and open a console on it. */
@Command(name = "debug",
        mixinStandardHelpOptions = true,
        description = {"Start a JVM under the debugger, held before main, and open a console (or run --exec commands).",
                "The arguments after -- are java's arguments, without the java executable itself.",
                "Set breakpoints first, then `cont`. Leaving the console ends the JVM."},
        footer = {"", "Examples:",
                "  sonde debug -- -cp build/classes com.acme.Main",
                "  sonde debug --exec 'break Main.java:12' --exec cont --exec wait --exec where --exec locals -- -cp out Main",
                "  sonde debug --json --exec 'break com.acme.Orders.place' --exec cont --exec 'wait 10s' -- -jar app.jar",
                "  sonde debug --exec 'break app.py:12' --exec cont --exec wait --exec locals --python app.py arg1   (debugpy)"},
        sortOptions = false)
public final class DebugCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Mixin
    ServerOptions server;

    @Mixin
    PythonOptions python;

    @Mixin
    ConsoleOptions console;

    @Parameters(paramLabel = "JAVA_ARGS", arity = "0..*", description = "Arguments to java after --, e.g. -- -cp DIR Main arg1.")
    List<String> javaArgs = new ArrayList<>();

    @Override
    public Integer call() {
        python.requireOneTarget(javaArgs);
        var loaded = server.apply(global.loadConfig());
        loaded = console.apply(loaded);
        var config = loaded.config();
        ServerOptions.bindChoice(loaded).warning("the debug port", null).ifPresent(root.err()::println);
        if (!python.requested()) {
            ServerOptions.javaNote(loaded).ifPresent(root.err()::println);
        }
        try (ServerManager servers = new ServerManager()) {
            var plan = python.requested() ? PythonTargets.debugPlan(python, config, servers, console.execs(), console.json())
                    : new ConsoleSession.Plan("launch", mainClassOf(javaArgs),
                    JdiConnector.launch(ServerOptions.spec(server.javaArgs(javaArgs), config), servers, JdiOptions.from(config)), console.execs(), console.json(), true);
            return ConsoleSession.run(plan, config, root.in(), root.out(), root.err());
        }
    }

    /** A session name from the java arguments: the main class or jar. */
    static String mainClassOf(List<String> javaArgs) {
        for (int i = 0; i < javaArgs.size(); i++) {
            String arg = javaArgs.get(i);
            if (arg.equals("-cp") || arg.equals("-classpath") || arg.equals("--class-path") || arg.equals("-p")
                    || arg.equals("--module-path")) {
                i++;
            } else if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module")) {
                return i + 1 < javaArgs.size() ? javaArgs.get(i + 1) : arg;
            } else if (!arg.startsWith("-")) {
                return arg;
            }
        }
        return "java";
    }
}
