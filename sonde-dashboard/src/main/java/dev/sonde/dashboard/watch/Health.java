package dev.sonde.dashboard.watch;

import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import dev.sonde.dashboard.jvm.RuntimeSnapshot.KpiReading;

import java.util.ArrayList;
import java.util.List;

/**
 * A JVM's colour on the overview, with the reasons for it: red when a KPI is breached or threads are
 * deadlocked, amber when a KPI has come within {@code amberAt} of its threshold or threads are blocked,
 * green otherwise; grey when there is nothing to judge (no sonde-runtime, or no longer watched).
 */
public record Health(Colour colour, List<String> reasons) {

    public enum Colour { GREEN, AMBER, RED, GREY }

    public static Health grey(String reason) {
        return new Health(Colour.GREY, List.of(reason));
    }

    /**
     * @param amberAt the share of a KPI's threshold at which it turns amber (0.8: a "below 100 ms" goal is
     *                amber from 80 ms; an "above 99 %" goal is amber below 99 % / 0.8 of the distance to 100 %)
     */
    public static Health of(RuntimeSnapshot snapshot, int deadlockedThreads, int blockedThreads, double amberAt) {
        List<String> red = new ArrayList<>();
        List<String> amber = new ArrayList<>();
        if (deadlockedThreads > 0) {
            red.add(deadlockedThreads + " threads deadlocked");
        }
        if (blockedThreads > 0) {
            amber.add(blockedThreads + " threads blocked");
        }
        if (snapshot != null && snapshot.kpis() != null) {
            for (KpiReading kpi : snapshot.kpis().readings()) {
                if (kpi.value() == null || kpi.threshold() == null) {
                    continue;
                }
                String figure = kpi.name() + " " + format(kpi.value()) + " (goal " + kpi.goal() + " " + format(kpi.threshold()) + ")";
                if (kpi.breached()) {
                    red.add(figure);
                } else if (nearThreshold(kpi, amberAt)) {
                    amber.add(figure);
                }
            }
        }
        if (!red.isEmpty()) {
            red.addAll(amber);
            return new Health(Colour.RED, List.copyOf(red));
        }
        return amber.isEmpty() ? new Health(Colour.GREEN, List.of()) : new Health(Colour.AMBER, List.copyOf(amber));
    }

    private static boolean nearThreshold(KpiReading kpi, double amberAt) {
        double value = kpi.value();
        double threshold = kpi.threshold();
        boolean staysAbove = "above".equals(kpi.goal());
        if (staysAbove) {
            // A rate goal such as "above 0.99": amber once the shortfall from 1 reaches amberAt of the allowed one.
            double allowed = 1.0 - threshold;
            return allowed > 0 && (1.0 - value) >= amberAt * allowed;
        }
        return threshold > 0 && value >= amberAt * threshold;
    }

    private static String format(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e9 ? Long.toString((long) value) : String.format("%.3g", value);
    }
}
