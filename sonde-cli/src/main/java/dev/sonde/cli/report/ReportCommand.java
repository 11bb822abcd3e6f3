package dev.sonde.cli.report;

import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.LocalJvm;
import dev.sonde.dashboard.jvm.LocalJvms;
import dev.sonde.dashboard.report.DirectReading;
import dev.sonde.dashboard.report.Report;
import dev.sonde.dashboard.report.ReportedJvm;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code sonde report PID|all}: a self-contained HTML (and/or JSON) report of JVMs, read directly, without a dashboard. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Write a report to attach to an incident ticket: one self-contained HTML file (opens offline,",
                "charts included) and/or the same content as JSON, for one JVM or every JVM on this machine.",
                "",
                "Each JVM's state as `sonde inspect` reads it: health, operations, scope violations, leaks,",
                "deadlocks and blocked threads, executors, recovery, KPIs and alerts, system figures. Rates come",
                "from the runtime's own windows; for minutes of history, use the report buttons of",
                "`sonde dashboard`. A JVM without sonde-runtime is reported with the figures the JVM gives."},
        footer = {"", "Examples:",
                "  sonde report 4242                          # sonde-report-20261202-0507.html here",
                "  sonde report 4242 --json incident.json     # JSON only",
                "  sonde report all --html fleet.html --json fleet.json",
                "",
                "Exit codes: 2 bad arguments or an unwritable file, 3 no such JVM or attach refused,",
                "4 the JVM did not answer in time."})
public final class ReportCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "PID|all", description = "The JVM to report (`sonde ps` lists them), or all of this user's JVMs.")
    String target;

    @Option(names = "--html", paramLabel = "FILE", description = "Write the HTML report to FILE.")
    Path html;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the JSON report to FILE.")
    Path json;

    @Option(names = "--since", paramLabel = "DURATION", description = "How far back the series reach (default 15m; "
            + "without a dashboard, the runtime's windows are what there is).")
    String since = "15m";

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long to wait for each JVM to answer (default: attach.timeout, 10s).")
    String timeout;

    @Override
    public Integer call() {
        Duration window = DurationText.parse(since);
        if (window.isZero() || window.isNegative()) {
            throw SondeException.invalidInput("--since " + since + " is not a positive duration; write it like 5m or 1h.");
        }
        Duration limit = timeout != null ? DurationText.parse(timeout) : global.loadConfig().config().attach().timeout();
        List<ReportedJvm> jvms = "all".equalsIgnoreCase(target.strip()) ? readAll(limit) : List.of(readOne(pid(target), limit));
        Report report = Report.of(jvms, window);
        List<Path> written = new ArrayList<>();
        if (html == null && json == null) {
            written.add(write(Path.of(report.fileName("html")), report.html()));
        }
        if (html != null) {
            written.add(write(html, report.html()));
        }
        if (json != null) {
            written.add(write(json, report.json()));
        }
        String what = jvms.size() == 1 ? "JVM " + jvms.get(0).view().pid() + " (" + jvms.get(0).view().mainClass() + ")"
                : jvms.size() + " JVMs";
        for (Path file : written) {
            root.out().println("Wrote " + file.toAbsolutePath().normalize() + " (" + what + ")");
        }
        return ExitCodes.OK;
    }

    private static long pid(String text) {
        try {
            long pid = Long.parseLong(text.strip());
            if (pid > 0) {
                return pid;
            }
        } catch (NumberFormatException notANumber) {
            // said below
        }
        throw SondeException.invalidInput("'" + text + "' is neither a pid nor all; give a pid from `sonde ps`, or all.");
    }

    private static ReportedJvm readOne(long pid, Duration limit) {
        try (JvmConnection connection = JvmConnection.open(pid, limit)) {
            return DirectReading.read(connection);
        }
    }

    /** Every local JVM in parallel; one that cannot be read is named on stderr and left out. */
    private List<ReportedJvm> readAll(Duration limit) {
        List<LocalJvm> listed = LocalJvms.list();
        if (listed.isEmpty()) {
            throw SondeException.targetGone("No other JVM runs on this machine as this user; start one, or check with `sonde ps`.");
        }
        List<ReportedJvm> read = new ArrayList<>();
        try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<ReportedJvm>> futures = listed.stream().map(jvm -> readers.submit(() -> readOne(jvm.pid(), limit))).toList();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    read.add(futures.get(i).get());
                } catch (ExecutionException failure) {
                    SondeException error = SondeException.from(failure.getCause());
                    root.err().println("warning: left out JVM " + listed.get(i).pid() + " (" + listed.get(i).mainClass() + "): "
                            + error.getMessage());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw SondeException.timeout("Reading the JVMs was interrupted; run the command again.");
                }
            }
        }
        if (read.isEmpty()) {
            throw SondeException.targetGone("None of the " + listed.size() + " JVMs on this machine could be read "
                    + "(see the warnings above); check them with `sonde ps`.");
        }
        return read;
    }

    private static Path write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw SondeException.invalidInput("Cannot write the report to " + file + ": the directory " + parent
                        + " does not exist; create it or choose another path.");
            }
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw SondeException.invalidInput("Cannot write the report to " + file + " (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null || e.getMessage().equals(file.toString()) ? "" : ": " + e.getMessage())
                    + "); choose a writable path.");
        }
    }
}
