package dev.sonde.bench;

import dev.sonde.bench.agent.AgentProbeBench;
import dev.sonde.bench.dap.DapRoundTrip;
import dev.sonde.bench.dashboard.DashboardBench;
import dev.sonde.bench.nonstop.NonStopBench;
import dev.sonde.bench.roundtrip.BreakpointRoundTrip;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sonde's benchmarks: {@code roundtrip}, {@code nonstop} and {@code dap} (end to end, against the raw-JDI floor or the
 * Session API in the same run) and {@code jmh} (the JMH benchmarks; the arguments after it go to JMH).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one benchmark by name; returns the process exit status (2 for bad arguments, after one line on {@code err}). */
    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        String which = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        if (!which.equals("jmh") && Arrays.stream(rest).anyMatch(arg -> arg.equals("--help") || arg.equals("-h"))) {
            which = "help";
        }
        try {
            switch (which) {
                case "roundtrip" -> roundTrip(rest, out);
                case "nonstop" -> nonStop(rest, out);
                case "dap" -> dap(rest, out);
                case "dap-requests" -> dapRequests(rest, out);
                case "dashboard" -> dashboard(rest, out);
                case "agent" -> agent(rest, out);
                case "async" -> async(rest, out);
                case "snapshot" -> snapshot(rest, out);
                case "jmh" -> org.openjdk.jmh.Main.main(rest);
                case "help", "--help", "-h" -> usage(out);
                default -> {
                    err.println("sonde-bench: no benchmark called '" + which + "'; pick roundtrip, nonstop, dap, dap-requests, dashboard, agent, async, snapshot or jmh (--help lists them).");
                    return 2;
                }
            }
            return 0;
        } catch (BadOption e) {
            err.println("sonde-bench: " + e.getMessage() + "; run with --help for the options.");
            return 2;
        }
    }

    private static void async(String[] args, PrintStream out) throws Exception {
        Map<String, Double> options = options(args, "--rounds", "--seconds", "--warmup");
        var settings = new dev.sonde.bench.agent.AsyncCaptureCpu.Settings(options.getOrDefault("--rounds", 4.0).intValue(),
                options.getOrDefault("--seconds", 2.0), options.getOrDefault("--warmup", 4.0));
        var report = dev.sonde.bench.agent.AsyncCaptureCpu.run(settings);
        out.printf(Locale.ROOT, "Async-stack capture per hand-off: process CPU ns (wall ns), medians over %d rounds of one JVM per mode,"
                + " ABBA; added = median of (mode - off) per round; %d cores%n", settings.rounds(), Runtime.getRuntime().availableProcessors());
        var off = report.figures().get("off");
        for (String workload : dev.sonde.bench.agent.AsyncCaptureCpu.WORKLOADS) {
            out.printf(Locale.ROOT, "  %-14s", workload);
            for (var mode : report.figures().entrySet()) {
                var rounds = mode.getValue().get(workload);
                out.printf(Locale.ROOT, "  %s %6.0f (%6.0f)", mode.getKey(), dev.sonde.bench.agent.AsyncCaptureCpu.medianOf(rounds, 0),
                        dev.sonde.bench.agent.AsyncCaptureCpu.medianOf(rounds, 1));
                if (!mode.getKey().equals("off")) {
                    out.printf(Locale.ROOT, " %+6.0f", dev.sonde.bench.agent.AsyncCaptureCpu.addedOf(off.get(workload), rounds, 0));
                }
            }
            out.println();
        }
    }

    private static void snapshot(String[] args, PrintStream out) throws Exception {
        Map<String, Double> options = options(args, "--jvms", "--rounds", "--calls", "--warmup");
        var settings = new dev.sonde.bench.agent.SnapshotCpu.Settings(options.getOrDefault("--jvms", 3.0).intValue(),
                options.getOrDefault("--rounds", 2.0).intValue(), options.getOrDefault("--calls", 50_000.0).intValue(),
                options.getOrDefault("--warmup", 50_000.0).intValue());
        out.printf(Locale.ROOT, "Agent snapshot on every call of BenchTarget.hit, in process: the calling thread's CPU time per call, %,d calls"
                        + " per mode and round after %,d not counted, %d rounds in each of %d JVMs, modes in ABBA order; medians over all"
                        + " rounds; %d cores, load average %s%n", settings.calls(), settings.warmupCalls(), settings.rounds(), settings.jvms(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        var report = dev.sonde.bench.agent.SnapshotCpu.run(settings);
        for (String mode : dev.sonde.bench.agent.SnapshotCpu.MODES) {
            double[] range = report.range(mode);
            out.printf(Locale.ROOT, "  %-40s %8.2f µs per call (rounds %.2f–%.2f)%s%n", switch (mode) {
                case "none" -> "no probe";
                case "top" -> "snapshot, top frame's locals";
                default -> "snapshot, locals of 2 frames";
            }, report.median(mode) / 1000, range[0] / 1000, range[1] / 1000, mode.equals("none") ? ""
                    : String.format(Locale.ROOT, "   added %.2f µs", report.added(mode) / 1000));
        }
        double two = report.added("two") / 1000;
        out.printf(Locale.ROOT, "goal: a snapshot of 2 frames <= 20 µs per hit — %s (%.2f µs CPU; %,d snapshots received)%n", met(two <= 20), two,
                report.snapshots());
    }

    private static void dapRequests(String[] args, PrintStream out) throws Exception {
        Map<String, Double> options = options(args, "--size", "--rounds", "--page");
        var settings = new dev.sonde.bench.dap.EditorRequestsBench.Settings(options.getOrDefault("--size", 1_000_000.0).intValue(),
                options.getOrDefault("--rounds", 20.0).intValue(), options.getOrDefault("--page", 100.0).intValue());
        var report = dev.sonde.bench.dap.EditorRequestsBench.run(settings);
        out.printf(Locale.ROOT, "DAP editor requests at a stop: a %,d-element ArrayList and HashMap, pages of %d, %d rounds alternating,"
                + " medians; %d cores%n", settings.size(), settings.page(), settings.rounds(), Runtime.getRuntime().availableProcessors());
        for (var latency : report.latencies()) {
            double goal = latency.request().startsWith("completions") ? 50 : 100;
            out.printf(Locale.ROOT, "  %-26s Session API %7.2f ms   DAP %7.2f ms   (%d / %d items)   goal <= %.0f ms over DAP: %s%n",
                    latency.request(), latency.sessionMillis(), latency.dapMillis(), latency.sessionItems(), latency.dapItems(), goal,
                    latency.dapMillis() <= goal ? "met" : "NOT met");
        }
    }

    private static void usage(PrintStream out) {
        out.println("usage: ./sonde bench roundtrip [--hits N] [--rounds R] [--warmup W]");
        out.println("       ./sonde bench nonstop [--seconds S] [--rounds R] [--warmup-rounds W]");
        out.println("       ./sonde bench dap [--hits N] [--rounds R] [--warmup W]");
        out.println("       ./sonde bench dap-requests [--size N] [--rounds R] [--page P]");
        out.println("       ./sonde bench dashboard [--jvms N] [--seconds S] [--warmup S]");
        out.println("       ./sonde bench agent [--seconds S] [--rounds R] [--warmup-rounds W] [--tiny]");
        out.println("       ./sonde bench async [--rounds R] [--seconds CPU_S] [--warmup CPU_S]");
        out.println("       ./sonde bench snapshot [--jvms J] [--rounds R] [--calls N] [--warmup N]");
        out.println("       ./sonde bench jmh [JMH options, e.g. -f 1 -wi 3 -i 5 -prof gc]");
        out.println("(java -jar sonde-bench/target/sonde-bench.jar on a Java 21+ does the same as ./sonde bench)");
        out.println("Each end-to-end benchmark starts its own target JVM on a loopback port and measures Sonde against");
        out.println("a raw-JDI loop (or, for dap, the Session API) in the same run; docs/performance.md has recorded figures.");
    }

    /** Reads {@code --name value} pairs, refusing unknown names, a name without a value and a value that is not a positive number. */
    private static Map<String, Double> options(String[] args, String... known) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!Arrays.asList(known).contains(name)) {
                throw new BadOption("unknown option " + name + " (this benchmark takes " + String.join(", ", known) + ")");
            }
            if (i + 1 >= args.length) {
                throw new BadOption("option " + name + " needs a value");
            }
            try {
                double value = Double.parseDouble(args[i + 1]);
                if (!(value > 0)) {
                    throw new NumberFormatException();
                }
                values.put(name, value);
            } catch (NumberFormatException e) {
                throw new BadOption("option " + name + " takes a positive number, not '" + args[i + 1] + "'");
            }
        }
        return values;
    }

    /** The options of the hit-counting benchmarks (roundtrip, dap). */
    private record HitCounts(int hits, int rounds, int warmup) {
        static HitCounts of(String[] args) {
            Map<String, Double> options = options(args, "--hits", "--rounds", "--warmup");
            return new HitCounts(options.getOrDefault("--hits", 2000.0).intValue(), options.getOrDefault("--rounds", 3.0).intValue(),
                    options.getOrDefault("--warmup", 500.0).intValue());
        }
    }

    private static final class BadOption extends RuntimeException {
        BadOption(String message) {
            super(message);
        }
    }

    private static void dap(String[] args, PrintStream out) throws Exception {
        HitCounts counts = HitCounts.of(args);
        int hits = counts.hits();
        int rounds = counts.rounds();
        int warmup = counts.warmup();
        var report = DapRoundTrip.run(new DapRoundTrip.Settings(hits, rounds, warmup));
        out.println("DAP round trip: a breakpoint stop reported to the client, then stack + scopes + locals, then resume, per hit");
        out.printf(Locale.ROOT, "target: %s on %d cores; %d hits x %d rounds after %d warm-up hits, alternating; medians (p90) over all hits%n",
                report.target(), Runtime.getRuntime().availableProcessors(), hits, rounds, warmup);
        for (var measurement : new DapRoundTrip.Measurement[] {report.session(), report.dap()}) {
            out.printf(Locale.ROOT, "  %-16s stop to client %6.1f µs (%6.1f)   reads %6.1f µs (%6.1f)   whole loop %7.1f µs/hit   (%d frames, %d locals)%n",
                    measurement.method(), measurement.stopMicros(), measurement.stopMicrosP90(), measurement.readMicros(),
                    measurement.readMicrosP90(), measurement.microsPerHit(), measurement.framesPerHit(), measurement.localsPerHit());
        }
        double added = report.addedMicrosPerStop();
        out.printf(Locale.ROOT, "goal: DAP adds at most 1 ms per stop — %s (adds %.1f µs: stop delivery + reads; whole loop %+.1f µs/hit)%n",
                added <= 1000 ? "met" : "NOT met", added, report.dap().microsPerHit() - report.session().microsPerHit());
    }

    private static void dashboard(String[] args, PrintStream out) throws Exception {
        var options = options(args, "--jvms", "--seconds", "--warmup");
        int jvms = options.getOrDefault("--jvms", 20.0).intValue();
        var settings = new DashboardBench.Settings(jvms, Duration.ofMillis((long) (options.getOrDefault("--seconds", 30.0) * 1000)),
                Duration.ofMillis((long) (options.getOrDefault("--warmup", 10.0) * 1000)), Duration.ofMinutes(15));
        out.printf(Locale.ROOT, "The dashboard watching %d demo services (real JVMs with sonde-runtime) over JMX at 1 s, on %d cores%n",
                jvms, Runtime.getRuntime().availableProcessors());
        DashboardBench.Result result = DashboardBench.run(settings);
        out.printf(Locale.ROOT, "  refresh round: median %d ms, p95 %d ms, max %d ms over %d rounds (%d of %d JVMs live at the end)%n",
                result.percentile(0.5), result.percentile(0.95), result.percentile(1.0), result.roundMillis().size(), result.liveJvms(), jvms);
        out.printf(Locale.ROOT, "  heap with a full 15-minute history for every JVM (%d samples, up to %d operations each): %.1f MB%n",
                result.samplesPerJvm(), result.operationsPerJvm(), result.heapMb());
        out.printf(Locale.ROOT, "goal: a round within 250 ms — %s (p95 %d ms); heap within 150 MB — %s (%.1f MB)%n",
                result.percentile(0.95) <= 250 ? "met" : "NOT met", result.percentile(0.95), result.heapMb() <= 150 ? "met" : "NOT met",
                result.heapMb());
    }

    private static void agent(String[] args, PrintStream out) throws Exception {
        boolean tiny = Arrays.asList(args).contains("--tiny");
        String[] rest = Arrays.stream(args).filter(arg -> !arg.equals("--tiny")).toArray(String[]::new);
        var options = options(rest, "--seconds", "--rounds", "--warmup-rounds");
        AgentProbeBench.Settings defaults = tiny ? AgentProbeBench.Settings.tiny()
                : new AgentProbeBench.Settings(Duration.ofSeconds(2), Duration.ofSeconds(2), 5, 1, AgentProbeBench.Settings.tiny().arthasHome());
        var settings = new AgentProbeBench.Settings(
                options.containsKey("--seconds") ? Duration.ofMillis((long) (options.get("--seconds") * 1000)) : defaults.window(),
                defaults.warmup(), options.getOrDefault("--rounds", (double) defaults.rounds()).intValue(),
                options.getOrDefault("--warmup-rounds", (double) defaults.warmupRounds()).intValue(), defaults.arthasHome());
        out.println("The in-process agent on BenchTarget.hit (one thread of a separate JVM, tight loop; hits/s from the target's own reports)");
        out.printf(Locale.ROOT, "%d cores, load average %s; %.1f s measured per round after %.1f s, %d rounds per side after %d pair(s) not counted,"
                        + " ABBA pairs; hits/s: median of rounds;%n"
                        + "slowdown: median of the pairs' unarmed/armed; cost per hit: median of the pairs' 1/armed - 1/unarmed%n",
                Runtime.getRuntime().availableProcessors(), loadAverage(), settings.window().toMillis() / 1000.0,
                settings.warmup().toMillis() / 1000.0, settings.rounds(), settings.warmupRounds());
        AgentProbeBench.Result result = AgentProbeBench.run(settings);
        AgentProbeBench.Row idle = result.idle();
        out.printf(Locale.ROOT, "  %-50s bare %,13.0f hits/s   agent %,13.0f hits/s   %5.3fx bare time (pairs %.3f–%.3f)%n",
                idle.label(), idle.unarmedMedian(), idle.armedMedian(), idle.ratio(), idle.spread()[0], idle.spread()[1]);
        for (AgentProbeBench.Row row : result.rows()) {
            out.printf(Locale.ROOT, "  %-11s %-38s unarmed %,13.0f hits/s   armed %,11.0f hits/s   %,10.1f ns/hit   %7.1fx   file: %,.0f lines/s%n",
                    peerName(row.peer()), row.label(), row.unarmedMedian(), row.armedMedian(), row.nanosPerHit(), row.ratio(),
                    row.linesPerSecondMedian());
        }
        result.skipped().forEach(sentence -> out.println("  skipped: " + sentence));
        AgentProbeBench.ArmTimes arm = result.armTimes();
        out.printf(Locale.ROOT, "  connect to first probe armed (median of %d, ABBA, fresh JVMs): AgentClient cold %d ms (%s), warm %d ms;"
                        + " `sonde probe` process cold %d ms (%s), warm %d ms (%s)%s%n",
                arm.repeats(), arm.agentClientCold(), range(arm.agentClientColds()), arm.agentClientWarm(), arm.commandCold(),
                range(arm.commandColds()), arm.commandWarm(), range(arm.commandWarms()),
                arm.arthasAttach() < 0 ? "" : String.format(Locale.ROOT, "; Arthas attach to API ready %d ms", arm.arthasAttach()));
        AgentProbeBench.Row logpoint = result.row(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.LOGPOINT);
        AgentProbeBench.Row jdwp = result.rows().stream().filter(row -> row.peer() == AgentProbeBench.Peer.JDWP).findFirst().orElseThrow();
        AgentProbeBench.Row arthas = result.rows().stream().filter(row -> row.peer() == AgentProbeBench.Peer.ARTHAS).findFirst().orElse(null);
        out.printf(Locale.ROOT, "goal: logpoint <= 1 µs and >= 1,000,000 hits/s — %s (%.1f ns/hit, %,.0f hits/s)%n",
                met(logpoint.nanosPerHit() <= 1000 && logpoint.armedMedian() >= 1_000_000), logpoint.nanosPerHit(), logpoint.armedMedian());
        out.printf(Locale.ROOT, "goal: agent >= 100x faster per hit than JDWP — %s (%.0fx per hit; %.0fx the hits/s)%n",
                met(jdwp.nanosPerHit() / logpoint.nanosPerHit() >= 100), jdwp.nanosPerHit() / logpoint.nanosPerHit(),
                logpoint.armedMedian() / jdwp.armedMedian());
        if (arthas != null) {
            out.printf(Locale.ROOT, "goal: agent >= 5x faster per hit than Arthas watch — %s (%.1fx per hit; %.1fx the hits/s)%n",
                    met(arthas.nanosPerHit() / logpoint.nanosPerHit() >= 5), arthas.nanosPerHit() / logpoint.nanosPerHit(),
                    logpoint.armedMedian() / arthas.armedMedian());
        }
        AgentProbeBench.Row condition = result.row(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.CONDITION);
        if (condition != null) {
            out.printf(Locale.ROOT, "goal: a false condition <= 50 ns per hit — %s (%.1f ns/hit)%n", met(condition.nanosPerHit() <= 50),
                    condition.nanosPerHit());
        }
        AgentProbeBench.Row snapshot = result.row(AgentProbeBench.Peer.SONDE_AGENT, AgentProbeBench.SNAPSHOT);
        if (snapshot == null) {
            out.println("goal: a snapshot of 2 frames <= 20 µs per hit — NOT measured (see the skipped line above)");
        } else if (snapshot.linesPerSecondMedian() <= 0) {
            out.println("goal: a snapshot of 2 frames <= 20 µs per hit — NOT measured (the probe wrote no snapshot in the armed rounds:"
                    + " the agent took it out, e.g. over its CPU budget; see its events)");
        } else {
            // the row snapshots one hit in SNAPSHOT_EVERY: its cost per loop hit over the same probe never true, times that,
            // is the cost of one snapshot
            double micros = snapshot.nanosPerHit() * AgentProbeBench.SNAPSHOT_EVERY / 1000;
            out.printf(Locale.ROOT, "goal: a snapshot of 2 frames <= 20 µs per hit — %s (%.2f µs per snapshot: %.2f ns per loop hit over the"
                            + " never-true probe x %d;"
                            + " %,.0f snapshots/s)%n", met(micros <= 20), micros, snapshot.nanosPerHit(), AgentProbeBench.SNAPSHOT_EVERY,
                    snapshot.armedMedian() / AgentProbeBench.SNAPSHOT_EVERY);
        }
        out.printf(Locale.ROOT, "goal: first probe armed within 2 s (the `sonde probe` process on a JVM without the agent, median) — %s (%d ms)%n",
                met(arm.commandCold() <= 2000), arm.commandCold());
        out.printf(Locale.ROOT, "goal: no measurable overhead with the agent idle (1.000x inside the pairs' spread) — %s (%.3fx, pairs %.3f–%.3f)%n",
                met(idle.spread()[0] <= 1 && 1 <= idle.spread()[1]), idle.ratio(), idle.spread()[0], idle.spread()[1]);
    }

    /** The smallest and largest of some milliseconds, as "min–max". */
    private static String range(List<Long> millis) {
        return millis.stream().min(Long::compare).orElse(0L) + "–" + millis.stream().max(Long::compare).orElse(0L);
    }

    private static String peerName(AgentProbeBench.Peer peer) {
        return switch (peer) {
            case SONDE_AGENT -> "Sonde agent";
            case JDWP -> "JDWP";
            case ARTHAS -> "Arthas";
        };
    }

    private static String met(boolean met) {
        return met ? "met" : "NOT met";
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void nonStop(String[] args, PrintStream out) throws Exception {
        var options = options(args, "--seconds", "--rounds", "--warmup-rounds");
        double seconds = options.getOrDefault("--seconds", 2.0);
        int rounds = options.getOrDefault("--rounds", 7.0).intValue();
        int warmupRounds = options.getOrDefault("--warmup-rounds", 2.0).intValue();
        var settings = new NonStopBench.Settings(Duration.ofMillis((long) (seconds * 1000)), Duration.ofMillis(500),
                rounds, warmupRounds);
        out.println("Breakpoints that do not stop the target: hits/s of the target's loop, Sonde against a raw-JDI loop doing the same reads");
        out.printf(Locale.ROOT, "%d cores; %.1f s measured per round after 0.5 s, %d rounds per method after %d not counted, in back-to-back pairs, ABBA order;%n"
                + "hits/s: median of rounds; ratio: median of the pairs' floor/Sonde%n",
                Runtime.getRuntime().availableProcessors(), seconds, rounds, warmupRounds);
        double worst = 0;
        for (NonStopBench.Result result : NonStopBench.run(settings)) {
            out.printf(Locale.ROOT, "  %-45s floor %7.0f hits/s   Sonde %7.0f hits/s   %5.2fx floor time   (rounds, floor/Sonde: %s)%n",
                    result.workload().label(), result.floorMedian(), result.sondeMedian(), result.ratio(), rounds(result.floor(), result.sonde()));
            worst = Math.max(worst, result.ratio());
        }
        out.printf(Locale.ROOT, "goal: each within 1.25x of the floor — %s (worst %.2fx)%n", worst <= 1.25 ? "met" : "NOT met", worst);
    }

    private static String rounds(List<Double> floor, List<Double> sonde) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < floor.size(); i++) {
            pairs.add(String.format(Locale.ROOT, "%.0f/%.0f", floor.get(i), sonde.get(i)));
        }
        return String.join(" ", pairs);
    }

    private static void roundTrip(String[] args, PrintStream out) throws Exception {
        HitCounts counts = HitCounts.of(args);
        int hits = counts.hits();
        int rounds = counts.rounds();
        int warmup = counts.warmup();
        var report = BreakpointRoundTrip.run(new BreakpointRoundTrip.Settings(hits, rounds, warmup));
        out.println("Breakpoint round trip: stack of the hit thread + locals of the top frame + resume, per hit");
        out.printf(Locale.ROOT, "target: %s on %d cores; %d hits x %d rounds after %d warm-up hits, back to back in ABC CBA order;%n"
                + "hits/s: median of rounds; ratio: median of the rounds' floor/method pairs%n",
                report.target(), Runtime.getRuntime().availableProcessors(), hits, rounds, warmup);
        for (var measurement : new BreakpointRoundTrip.Measurement[] {report.floor(), report.sessionBlocking(), report.sessionAsync()}) {
            out.printf(Locale.ROOT, "  %-24s %8.0f hits/s  %7.1f µs/hit  %5.2fx floor time   (%d frames, %d locals; rounds, floor/method: %s)%n",
                    measurement.method(), measurement.median(), measurement.microsPerHit(), report.ratio(measurement),
                    measurement.framesPerHit(), measurement.variablesPerHit(),
                    rounds(report.floor().hitsPerSecond(), measurement.hitsPerSecond()));
        }
        double worst = Math.max(report.ratio(report.sessionBlocking()), report.ratio(report.sessionAsync()));
        out.printf(Locale.ROOT, "goal: Session API within 1.25x of raw JDI — %s (worst %.2fx)%n", worst <= 1.25 ? "met" : "NOT met", worst);
    }
}
