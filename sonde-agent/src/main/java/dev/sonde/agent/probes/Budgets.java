package dev.sonde.agent.probes;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * What each probe may still spend: its expiry, and the CPU it uses, measured by sampling. One hit in
 * {@link #SAMPLE_EVERY} is timed with {@link System#nanoTime()}; the mean of the samples times the hit count is the
 * probe's estimated CPU time. {@link #check} is called about once a second and names the probes to disable: the
 * expired ones, any over its own budget, and the most expensive when all of them together are over the agent's.
 */
public final class Budgets {

    /** A power of two: one hit in this many is timed. */
    public static final int SAMPLE_EVERY = 16;
    /** Fewer samples than this in the window are too few to judge a probe by. */
    private static final int MIN_SAMPLES = 4;

    /** Why a probe must go, in one sentence for the user. */
    public record Verdict(int probe, String event, String reason, String text) {
    }

    private static final class Allowance {
        final int id;
        final ProbeBudget budget;
        final long expiresAtMillis;
        final LongAdder hits = new LongAdder();
        final LongAdder sampledNanos = new LongAdder();
        final LongAdder samples = new LongAdder();
        final ArrayDeque<long[]> history = new ArrayDeque<>();
        int counter;

        Allowance(int id, ProbeBudget budget, long nowMillis) {
            this.id = id;
            this.budget = budget;
            this.expiresAtMillis = nowMillis + budget.expiryMillis();
        }
    }

    private volatile Allowance[] byId = new Allowance[64];
    private volatile BudgetSettings settings = BudgetSettings.DEFAULTS;

    public BudgetSettings settings() {
        return settings;
    }

    public void settings(BudgetSettings newSettings) {
        settings = newSettings;
    }

    synchronized void track(int id, ProbeBudget budget) {
        Allowance[] table = id < byId.length ? byId.clone() : Arrays.copyOf(byId, Math.max(id + 1, byId.length * 2));
        table[id] = new Allowance(id, budget, System.currentTimeMillis());
        byId = table;
    }

    synchronized void forget(int id) {
        if (id < byId.length && byId[id] != null) {
            Allowance[] table = byId.clone();
            table[id] = null;
            byId = table;
        }
    }

    ProbeBudget budget(int id) {
        Allowance allowance = allowance(id);
        return allowance == null ? null : allowance.budget;
    }

    private Allowance allowance(int id) {
        Allowance[] table = byId;
        return id < table.length ? table[id] : null;
    }

    /**
     * Counts a hit of {@code probe} and returns the time to pass to {@link #endSample} when this hit is one to time,
     * else 0. Call it before the probe's work for the hit.
     */
    public long startSample(int probe) {
        Allowance allowance = allowance(probe);
        if (allowance == null) {
            return 0;
        }
        allowance.hits.increment();
        // a plain counter: a lost increment under a race only shifts which hit is timed
        if ((++allowance.counter & (SAMPLE_EVERY - 1)) != 0) {
            return 0;
        }
        return System.nanoTime();
    }

    public void endSample(int probe, long started) {
        if (started == 0) {
            return;
        }
        long took = System.nanoTime() - started;
        Allowance allowance = allowance(probe);
        if (allowance != null) {
            allowance.sampledNanos.add(took);
            allowance.samples.increment();
        }
    }

    /** The probes to disable now, at most one for the budget of all probes together. */
    List<Verdict> check(long nowMillis) {
        BudgetSettings limits = settings;
        List<Verdict> verdicts = new ArrayList<>();
        double total = 0;
        Allowance costliest = null;
        double costliestPercent = 0;
        String window = seconds(limits.cpuWindowMillis());
        for (Allowance allowance : byId) {
            if (allowance == null) {
                continue;
            }
            if (nowMillis >= allowance.expiresAtMillis) {
                verdicts.add(new Verdict(allowance.id, "expired", "expiry", "Probe " + allowance.id + " expired after "
                        + seconds(allowance.budget.expiryMillis()) + " and was removed; set it again (with `expires 2h` for a longer life)."));
                continue;
            }
            double percent = percentOfCore(allowance, nowMillis, limits.cpuWindowMillis());
            if (percent > allowance.budget.cpuPercent()) {
                verdicts.add(new Verdict(allowance.id, "disabled", "cpu", "Probe " + allowance.id + " was disabled: it used "
                        + percent(percent) + " of one core over the last " + window + ", over its CPU budget of "
                        + percent(allowance.budget.cpuPercent()) + "; its class has its original bytecode again. Set it again with a larger"
                        + " budget (`cpu " + percent(Math.max(percent * 2, 1)) + "`) to re-arm it."));
                continue;
            }
            if (!allowance.budget.shared()) {
                continue;
            }
            total += percent;
            if (percent > costliestPercent) {
                costliest = allowance;
                costliestPercent = percent;
            }
        }
        if (total > limits.cpuPercent() && costliest != null) {
            verdicts.add(new Verdict(costliest.id, "disabled", "cpu", "Probe " + costliest.id + " was disabled: the probes together"
                    + " used " + percent(total) + " of one core over the last " + window + ", over the budget of "
                    + percent(limits.cpuPercent()) + " (probes.cpuPercent in sonde.yaml), and it cost the most (" + percent(costliestPercent)
                    + "); its class has its original bytecode again. Set it again with a larger budget (`cpu "
                    + percent(Math.max(costliestPercent * 2, 1)) + "`, and a larger probes.cpuPercent) to re-arm it."));
        }
        return verdicts;
    }

    /** CPU used over the window (or since the probe was armed, at least 1s), as a percentage of one core. */
    private static double percentOfCore(Allowance allowance, long nowMillis, long windowMillis) {
        long[] now = {nowMillis, allowance.hits.sum(), allowance.sampledNanos.sum(), allowance.samples.sum()};
        ArrayDeque<long[]> history = allowance.history;
        history.addLast(now);
        while (history.size() > 2 && nowMillis - history.peekFirst()[0] > windowMillis) {
            history.removeFirst();
        }
        long[] base = history.peekFirst();
        long elapsedMillis = nowMillis - base[0];
        long samples = now[3] - base[3];
        if (elapsedMillis < 1000 || samples < MIN_SAMPLES) {
            return 0;
        }
        double meanNanos = (now[2] - base[2]) / (double) samples;
        double cpuNanos = meanNanos * (now[1] - base[1]);
        return cpuNanos / (elapsedMillis * 1_000_000.0) * 100;
    }

    private static String percent(double value) {
        return (value >= 0.1 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.4f", value))
                .replaceAll("0+$", "").replaceAll("\\.$", "") + "%";
    }

    static String seconds(long millis) {
        if (millis % 3_600_000 == 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0) {
            return millis / 60_000 + "m";
        }
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}
