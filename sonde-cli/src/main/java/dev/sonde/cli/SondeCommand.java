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

/** The root command: lists the subcommands. Every command is registered here. */
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
                "Benchmarks: `./sonde bench --help` in a source checkout (Sonde against raw JDI; docs/performance.md)."},
        subcommands = {
                DemoCommand.class,
                DebugCommand.class,
                AttachCommand.class,
                LaunchCommand.class,
                SnapshotCommand.class,
                PsCommand.class,
                ProbeCommand.class,
                InspectCommand.class,
                DashboardCommand.class,
                ReportCommand.class,
                DapCommand.class,
                DoctorCommand.class,
                ConfigCommand.class,
                CommandLine.HelpCommand.class})
public final class SondeCommand implements Runnable {

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
