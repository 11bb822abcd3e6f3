package dev.sonde.cli;

import dev.sonde.cli.attach.AttachCommand;
import dev.sonde.cli.config.ConfigCommand;
import dev.sonde.cli.dashboard.DashboardCommand;
import dev.sonde.cli.dap.DapCommand;
import dev.sonde.cli.debug.DebugCommand;
import dev.sonde.cli.demo.DemoCommand;
import dev.sonde.cli.doctor.DoctorCommand;
import dev.sonde.cli.inspect.InspectCommand;
import dev.sonde.cli.launch.LaunchCommand;
import dev.sonde.cli.probe.ProbeCommand;
import dev.sonde.cli.ps.PsCommand;
import dev.sonde.cli.report.ReportCommand;
import dev.sonde.cli.snapshot.SnapshotCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The root command: lists the subcommands. Every command is registered here, in {@link #COMMANDS}. */
@Command(name = "sonde",
        mixinStandardHelpOptions = true,
        versionProvider = SondeCommand.Version.class,
        sortOptions = false,
        description = {
                "Remote debugging and async diagnostics for the JVM.",
                "",
                "Start with `sonde demo` for a guided tour, or `sonde debug -- -cp DIR Main` to debug a program."},
        footer = {
                "",
                "Exit codes: 0 ok, 1 a command failed, 2 bad input or config, 3 target unreachable or gone, 4 timeout.",
                "Settings: sonde.yaml in the working directory, SONDE_* variables, then flags (`sonde config show`).",
                "Benchmarks: `./sonde bench --help` in a source checkout (Sonde against raw JDI; docs/performance.md)."})
public final class SondeCommand implements Runnable {

    /**
     * Every command by its name, in the order {@code sonde --help} lists them. Building a command's model reads its
     * annotations and loads its classes, which is most of a short command's start-up; so a command line that names one
     * of these gets only that one ({@link #commandLine}).
     */
    static final Map<String, Class<?>> COMMANDS = commands(
            Map.entry("demo", DemoCommand.class),
            Map.entry("debug", DebugCommand.class),
            Map.entry("attach", AttachCommand.class),
            Map.entry("launch", LaunchCommand.class),
            Map.entry("snapshot", SnapshotCommand.class),
            Map.entry("ps", PsCommand.class),
            Map.entry("probe", ProbeCommand.class),
            Map.entry("inspect", InspectCommand.class),
            Map.entry("dashboard", DashboardCommand.class),
            Map.entry("report", ReportCommand.class),
            Map.entry("dap", DapCommand.class),
            Map.entry("doctor", DoctorCommand.class),
            Map.entry("config", ConfigCommand.class));

    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public SondeCommand(PrintStream out, PrintStream err) {
        this(out, err, System.in);
    }

    public SondeCommand(PrintStream out, PrintStream err, InputStream in) {
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public InputStream in() {
        return in;
    }

    /**
     * The command line for {@code args}: the root with the one command {@code args} names, or with every command (and
     * {@code help}) when they name none, so the root's usage, {@code help} and unknown-command errors see them all.
     */
    static CommandLine commandLine(SondeCommand root, String[] args) {
        CommandLine commandLine = new CommandLine(root);
        Class<?> named = args.length == 0 ? null : COMMANDS.get(args[0]);
        if (named != null) {
            commandLine.addSubcommand(args[0], named);
            return commandLine;
        }
        COMMANDS.forEach(commandLine::addSubcommand);
        commandLine.addSubcommand("help", CommandLine.HelpCommand.class);
        return commandLine;
    }

    @SafeVarargs
    private static Map<String, Class<?>> commands(Map.Entry<String, Class<?>>... entries) {
        Map<String, Class<?>> commands = new LinkedHashMap<>();
        for (Map.Entry<String, Class<?>> entry : entries) {
            commands.put(entry.getKey(), entry.getValue());
        }
        return Collections.unmodifiableMap(commands);
    }

    @Override
    public void run() {
        spec.commandLine().usage(out);
    }

    /** The version from the jar's manifest, or "development" when run from classes. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SondeCommand.class.getPackage().getImplementationVersion();
            return new String[] {"sonde " + (version == null ? "0.1.0-SNAPSHOT" : version),
                    "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home")};
        }
    }
}
