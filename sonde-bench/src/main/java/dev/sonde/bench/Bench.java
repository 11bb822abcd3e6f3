package dev.sonde.bench;

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
            case "jmh" -> org.openjdk.jmh.Main.main(rest);
            default -> {
                System.out.println("usage: java -jar sonde-bench.jar roundtrip [--hits N] [--rounds R] [--warmup W]");
                System.out.println("       java -jar sonde-bench.jar jmh [JMH options, e.g. -f 1 -wi 3 -i 5 -prof gc]");
                System.exit(which.equals("help") ? 0 : 2);
            }
        }
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
