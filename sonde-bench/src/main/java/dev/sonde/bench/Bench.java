package dev.sonde.bench;

import dev.sonde.bench.dap.DapRoundTrip;
import dev.sonde.bench.nonstop.NonStopBench;
import dev.sonde.bench.roundtrip.BreakpointRoundTrip;

import java.util.Arrays;
import java.util.Locale;

/**
 * Sonde's benchmarks: {@code roundtrip} (end to end, Session API against the raw-JDI floor) and {@code jmh}
 * (the JMH benchmarks; the arguments after it go to JMH).
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String which = args.length == 0 ? "help" : args[0];
        String[] rest = Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
        switch (which) {
            case "roundtrip" -> roundTrip(rest);
            case "nonstop" -> nonStop(rest);
            case "dap" -> dap(rest);
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.out.println("usage: java -jar sonde-bench.jar roundtrip [--hits N] [--rounds R] [--warmup W]");
                System.out.println("       java -jar sonde-bench.jar nonstop [--seconds S] [--rounds R]");
                System.out.println("       java -jar sonde-bench.jar dap [--hits N] [--rounds R] [--warmup W]");
                System.out.println("       java -jar sonde-bench.jar jmh [JMH options, e.g. -f 1 -wi 3 -i 5 -prof gc]");
                System.exit(which.equals("help") ? 0 : 2);
            }
        }
    }

    private static void dap(String[] args) throws Exception {
        int hits = 2000;
        int rounds = 3;
        int warmup = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--hits" -> hits = value;
                case "--rounds" -> rounds = value;
                case "--warmup" -> warmup = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var report = DapRoundTrip.run(new DapRoundTrip.Settings(hits, rounds, warmup));
        System.out.println("DAP round trip: a breakpoint stop reported to the client, then stack + scopes + locals, then resume, per hit");
        System.out.printf(Locale.ROOT, "target: %s on %d cores; %d hits x %d rounds after %d warm-up hits, alternating; medians (p90) over all hits%n",
                report.target(), Runtime.getRuntime().availableProcessors(), hits, rounds, warmup);
        for (var measurement : new DapRoundTrip.Measurement[] {report.session(), report.dap()}) {
            System.out.printf(Locale.ROOT, "  %-16s stop to client %6.1f µs (%6.1f)   reads %6.1f µs (%6.1f)   whole loop %7.1f µs/hit   (%d frames, %d locals)%n",
                    measurement.method(), measurement.stopMicros(), measurement.stopMicrosP90(), measurement.readMicros(),
                    measurement.readMicrosP90(), measurement.microsPerHit(), measurement.framesPerHit(), measurement.localsPerHit());
        }
        double added = report.addedMicrosPerStop();
        System.out.printf(Locale.ROOT, "goal: DAP adds at most 1 ms per stop — %s (adds %.1f µs: stop delivery + reads; whole loop %+.1f µs/hit)%n",
                added <= 1000 ? "met" : "NOT met", added, report.dap().microsPerHit() - report.session().microsPerHit());
    }

    private static void nonStop(String[] args) throws Exception {
        double seconds = 2;
        int rounds = 3;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var settings = new NonStopBench.Settings(java.time.Duration.ofMillis((long) (seconds * 1000)), java.time.Duration.ofMillis(500), rounds);
        System.out.println("Breakpoints that do not stop the target: hits/s of the target's loop, Sonde against a raw-JDI loop doing the same reads");
        System.out.printf(Locale.ROOT, "%d cores; %.1f s measured per round after 0.5 s, %d rounds per method, alternating (median of rounds)%n",
                Runtime.getRuntime().availableProcessors(), seconds, rounds);
        double worst = 0;
        for (NonStopBench.Result result : NonStopBench.run(settings)) {
            System.out.printf(Locale.ROOT, "  %-45s floor %7.0f hits/s   Sonde %7.0f hits/s   %5.2fx floor time%n",
                    result.workload().label(), result.floorMedian(), result.sondeMedian(), result.ratio());
            worst = Math.max(worst, result.ratio());
        }
        System.out.printf(Locale.ROOT, "goal: each within 1.25x of the floor — %s (worst %.2fx)%n", worst <= 1.25 ? "met" : "NOT met", worst);
    }

    private static void roundTrip(String[] args) throws Exception {
        int hits = 2000;
        int rounds = 3;
        int warmup = 500;
        for (int i = 0; i + 1 < args.length; i += 2) {
            int value = Integer.parseInt(args[i + 1]);
            switch (args[i]) {
                case "--hits" -> hits = value;
                case "--rounds" -> rounds = value;
                case "--warmup" -> warmup = value;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        var report = BreakpointRoundTrip.run(new BreakpointRoundTrip.Settings(hits, rounds, warmup));
        System.out.println("Breakpoint round trip: stack of the hit thread + locals of the top frame + resume, per hit");
        System.out.printf(Locale.ROOT, "target: %s on %d cores; %d hits x %d rounds after %d warm-up hits (median of rounds)%n",
                report.target(), Runtime.getRuntime().availableProcessors(), hits, rounds, warmup);
        for (var measurement : new BreakpointRoundTrip.Measurement[] {report.floor(), report.sessionBlocking(), report.sessionAsync()}) {
            System.out.printf(Locale.ROOT, "  %-24s %8.0f hits/s  %7.1f µs/hit  %5.2fx floor time   (%d frames, %d locals; rounds: %s)%n",
                    measurement.method(), measurement.median(), measurement.microsPerHit(), report.ratio(measurement),
                    measurement.framesPerHit(), measurement.variablesPerHit(),
                    String.join(" ", measurement.hitsPerSecond().stream().map(r -> String.format(Locale.ROOT, "%.0f", r)).toList()));
        }
        double worst = Math.max(report.ratio(report.sessionBlocking()), report.ratio(report.sessionAsync()));
        System.out.printf(Locale.ROOT, "goal: Session API within 1.25x of raw JDI — %s (worst %.2fx)%n", worst <= 1.25 ? "met" : "NOT met", worst);
    }
}
