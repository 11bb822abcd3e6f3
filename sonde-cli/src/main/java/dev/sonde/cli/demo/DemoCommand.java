package dev.sonde.cli.demo;

import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.console.ConsoleCommands;
import dev.sonde.cli.console.Outcome;
import dev.sonde.cli.console.Reply;
import dev.sonde.cli.inspect.InspectionText;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.cli.output.Printer;
import dev.sonde.cli.output.TextOutput;
import dev.sonde.cli.output.Texts;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.dashboard.report.ReportRoutes;
import dev.sonde.demo.OrderService;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code sonde demo}: debugs a small async order service end to end, saying what each step does and
 * which console command does it, so a newcomer learns the console by watching it.
 */
@Command(name = "demo",
        mixinStandardHelpOptions = true,
        description = {"A guided tour: start a sample async order service under the debugger, stop a virtual thread at",
                "a breakpoint, read its stack and locals, step, list threads, resume, detach, and stop the service.",
                "Each step shows the console command that does it. Takes a few seconds; exits 0 when all went well."},
        footer = {"", "Examples:", "  sonde demo", "  sonde demo --dashboard     # the service on the live dashboard, until Ctrl-C"})
public final class DemoCommand implements Callable<Integer> {

    private static final String PRICING_SOURCE = "dev/sonde/demo/Pricing.java";
    private static final String BREAKPOINT_MARKER = "// demo: breakpoint";

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Option(names = "--dashboard", description = "Instead of the tour: run the demo service with the dashboard watching it, "
            + "print the page's URL, and keep both running until Ctrl-C.")
    boolean dashboard;

    @Override
    public Integer call() throws InterruptedException {
        if (dashboard) {
            return new DemoDashboard(root.out(), demoClassPath(), global.loadConfig().config().attach().timeout(),
                    List.of(new ReportRoutes())).run();
        }
        long started = System.nanoTime();
        PrintStream out = root.out();
        Printer printer = Printer.of(out, root.err());
        SondeConfig config = global.loadConfig().config();
        List<String> source = pricingSource();
        int line = breakpointLine(source);
        List<String> javaArgs = List.of("-cp", demoClassPath(), OrderService.class.getName());

        try {
        out.println("Sonde demo: debugging a live async order service.");
        out.println("Each step shows the console command that does it; try them yourself with `sonde debug -- "
                + "-cp <dir> <MainClass>`.");
        out.println();
        step(out, 1, "Start the service under a debug server, held before main so breakpoints can be set first.",
                "sonde debug -- -cp " + javaArgs.get(1) + " " + javaArgs.get(2));
        TextOutput console = new TextOutput(indented(printer, "      "));
        AppOutput app = new AppOutput(printer);
        try (ServerManager servers = new ServerManager();
             // as `sonde debug` starts it: with the agent capturing async stacks
             Session session = Session.connect("demo", JdiConnector.launch(JvmLaunchSpec.of(withAsyncStacks(javaArgs)), servers, JdiOptions.from(config)),
                     SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), Duration.ofSeconds(30),
                     List.of(event -> {
                         if (event instanceof Event.Output output) {
                             app.accept(output);
                         }
                     }))) {
            var target = session.target().orElseThrow();
            out.println("   Launched pid " + target.pid() + "; its debug port is " + target.address() + " (" + target.description() + ").");
            ConsoleCommands commands = new ConsoleCommands(session, Duration.ofSeconds(20));

            step(out, 2, "Set a one-time breakpoint (tbreak) where an order's loyalty discount is worked out (Pricing.java line "
                    + line + "):", null);
            out.println("      " + line + " | " + source.get(line - 1).strip());
            run(commands, console, "tbreak Pricing.java:" + line);
            out.println("   It waits for the class to load; the JVM has not run any code yet. Being one-time, it lets the other");
            out.println("   orders pass once it has been hit.");

            step(out, 3, "Let the service run until an order reaches that line.", null);
            run(commands, console, "cont");
            run(commands, console, "wait 20s");
            Event.Stopped stop = session.currentStop().orElseThrow(() -> SondeException.badState("The breakpoint was never hit."));
            out.println("   Every thread is held now. The one that hit the breakpoint is "
                    + (stop.thread().virtual() ? "a virtual thread of the service's executor" : "thread " + stop.thread().displayName()) + ".");

            step(out, 4, "Its stack, frame 0 at the top: Pricing.price, called through the service's CompletableFuture chain;"
                    + " then the async part: the code that scheduled each stage, on the thread it ran on.", null);
            run(commands, console, "where");

            step(out, 5, "The locals of the top frame: the order, its subtotal and the customer's loyalty rate.", null);
            run(commands, console, "locals");
            run(commands, console, "print order.customer");

            step(out, 6, "Step over one line: the discount is now computed.", null);
            run(commands, console, "next");
            run(commands, console, "wait 10s");
            run(commands, console, "print discount");

            step(out, 7, "Every thread in the JVM, platform and virtual (* marks the selected one):", null);
            run(commands, console, "threads");

            step(out, 8, "Add a logpoint on the next line, which prints each order's discount without stopping anything,"
                    + " and resume: orders flow again (the service's output is marked [app], the logpoint's [log]).", null);
            run(commands, console, "log Pricing.java:" + (line + 1) + " \"order {order.id()} for {order.customer()}: discount {discount}\"");
            run(commands, console, "cont");
            app.show(true);
            pause(700);

            app.show(false);
            step(out, 9, "The service also runs sonde-runtime, its own diagnostics, which `sonde inspect` reads over JMX (no debugger):",
                    "sonde inspect " + target.pid());
            for (String finding : runtimeFindings(target.pid(), config.attach().timeout())) {
                out.println("      " + finding);
            }

            step(out, 10, "Detach: the service keeps running without a debugger.", null);
            Reply.Stats stats = (Reply.Stats) ((Outcome.Ok) commands.execute("stats")).reply();
            run(commands, console, "detach");
            out.println("   This session: " + stats.stats().stops() + " stops, " + stats.stats().hitsByBreakpoint().getOrDefault(1, 0L)
                    + " breakpoint hit, target held for " + stats.stats().timeStopped().toMillis() + " ms.");

            step(out, 11, "Stop the service.", null);
            servers.stopAll();
        }
        out.printf("%nDone in %.1f s. Next: `sonde --help`, `sonde debug --help`, and the README.%n", (System.nanoTime() - started) / 1e9);
        return ExitCodes.OK;
        } catch (SondeException e) {
            root.err().println("The demo could not go on: " + e.getMessage());
            return ExitCodes.of(e.kind());
        }
    }

    /** A printer that indents every line, so command output sits under the narration. */
    private static Printer indented(Printer printer, String indent) {
        return (text, error) -> printer.print(indent + text.stripTrailing().replace("\n", "\n" + indent) + System.lineSeparator(), error);
    }

    private static void step(PrintStream out, int number, String what, String command) {
        out.println();
        out.println(number + ". " + what);
        if (command != null) {
            out.println("   $ " + command);
        }
    }

    /** Runs a console command as a user would type it and shows its result; a failure ends the demo. */
    private static void run(ConsoleCommands commands, TextOutput console, String line) {
        System.out.flush();
        Outcome outcome = commands.execute(line);
        if (outcome instanceof Outcome.Failed failed) {
            throw failed.error();
        }
        console.note("(sonde) " + line);
        if (outcome instanceof Outcome.Ok ok && ok.reply() instanceof Reply.Waited waited
                && waited.outcome() instanceof WaitOutcome.Stopped stopped) {
            console.note(Texts.stopped(stopped.event()));
        } else {
            console.outcome(outcome);
        }
    }

    /** The digest of {@code sonde inspect}, once the runtime has seen a scope violation and a leak (a second or two of orders). */
    private static List<String> runtimeFindings(long pid, Duration timeout) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        try (JvmConnection runtime = JvmConnection.open(pid, timeout)) {
            RuntimeSnapshot snapshot = runtime.snapshot();
            while ((snapshot.scopes().recentViolations().isEmpty() || snapshot.resources().leaks().isEmpty())
                    && System.nanoTime() < deadline) {
                pause(200);
                snapshot = runtime.snapshot();
            }
            return InspectionText.digest(snapshot);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Sonde's own class path, which holds the demo and the sonde-runtime it uses: the Sonde jar, or the build's output. */
    /** The service's java arguments with the Sonde agent in front, capturing async stacks (as `sonde debug` does). */
    private static List<String> withAsyncStacks(List<String> javaArgs) {
        List<String> args = new java.util.ArrayList<>(dev.sonde.core.agent.AsyncStacksLaunch.jvmArgs(false));
        args.addAll(javaArgs);
        return args;
    }

    private static String demoClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static List<String> pricingSource() {
        try (InputStream in = OrderService.class.getClassLoader().getResourceAsStream(PRICING_SOURCE)) {
            if (in == null) {
                throw SondeException.badState("The demo's sources are missing from the Sonde jar; rebuild it with ./sonde.");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw SondeException.from(e);
        }
    }

    private static int breakpointLine(List<String> source) {
        for (int i = 0; i < source.size(); i++) {
            if (source.get(i).contains(BREAKPOINT_MARKER)) {
                return i + 1;
            }
        }
        throw SondeException.badState("The demo's breakpoint marker is missing from " + PRICING_SOURCE + ".");
    }

    /** The service's output and the logpoint's messages, shown only while the demo wants them, each line marked. */
    private static final class AppOutput {
        private final Printer printer;
        private final StringBuilder partial = new StringBuilder();
        private volatile boolean showing;

        AppOutput(Printer printer) {
            this.printer = printer;
        }

        void show(boolean on) {
            showing = on;
        }

        synchronized void accept(Event.Output output) {
            switch (output.category()) {
                case LOG -> {
                    if (showing) {
                        printer.println("   [log] " + output.text().strip());
                    }
                }
                case STDOUT, STDERR -> {
                    partial.append(output.text());
                    int end;
                    while ((end = partial.indexOf("\n")) >= 0) {
                        String text = partial.substring(0, end);
                        partial.delete(0, end + 1);
                        if (showing) {
                            printer.println("   [app] " + text);
                        }
                    }
                }
                case CONSOLE -> {
                }
            }
        }
    }
}
