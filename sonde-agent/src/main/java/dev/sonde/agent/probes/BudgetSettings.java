package dev.sonde.agent.probes;

import dev.sonde.agent.channel.Json;

import java.util.Map;

/**
 * The safety limits probes run under, agent-wide: the defaults a probe gets unless its request says otherwise, and
 * the limits that are about all probes together (the CPU budget, how many may be live). {@code sonde probe} sends
 * the values of sonde.yaml's {@code probes:} section in a {@code settings} request.
 *
 * @param linesPerSecond  a probe's output rate, in lines (or snapshots) a second
 * @param cpuPercent      CPU all probes together may use, in percent of one core, over {@code cpuWindowMillis}
 * @param cpuWindowMillis the sliding window the CPU budget is measured over
 * @param expiryMillis    how long a probe lives before it is removed
 * @param maxLive         how many probes (armed or pending) may exist at once
 * @param snapshotBytes   the size cap of one snapshot
 */
public record BudgetSettings(int linesPerSecond, double cpuPercent, long cpuWindowMillis, long expiryMillis, int maxLive,
                             int snapshotBytes) {

    public static final BudgetSettings DEFAULTS = new BudgetSettings(100, 1.0, 10_000, 3_600_000, 32, 64 * 1024);

    public BudgetSettings {
        if (linesPerSecond < 1) {
            throw new ProbeRefused("The output limit must be at least 1 line a second, not " + linesPerSecond + ".");
        }
        checkCpu(cpuPercent);
        if (cpuWindowMillis < 1000) {
            throw new ProbeRefused("The CPU budget's window must be at least 1s, not " + cpuWindowMillis + "ms.");
        }
        checkExpiry(expiryMillis);
        if (maxLive < 1) {
            throw new ProbeRefused("The limit on live probes must be at least 1, not " + maxLive + ".");
        }
        if (snapshotBytes < 1024) {
            throw new ProbeRefused("The snapshot size cap must be at least 1024 bytes, not " + snapshotBytes + ".");
        }
    }

    /** These settings with the ones {@code request} carries (a {@code settings} request's fields). */
    public BudgetSettings with(Map<String, Object> request) {
        return new BudgetSettings((int) number(request, "linesPerSecond", linesPerSecond), decimal(request, "cpuPercent", cpuPercent),
                number(request, "cpuWindowMillis", cpuWindowMillis), number(request, "expiryMillis", expiryMillis),
                (int) number(request, "maxLive", maxLive), (int) number(request, "snapshotBytes", snapshotBytes));
    }

    /** The budget of one probe: its request's {@code limit}, {@code cpuPercent} and {@code expiryMillis}, else these defaults. */
    public ProbeBudget forProbe(Map<String, Object> request) {
        int limit = (int) number(request, "limit", linesPerSecond);
        if (limit < 1) {
            throw new ProbeRefused("The limit must be at least 1 line a second.");
        }
        double cpu = decimal(request, "cpuPercent", cpuPercent);
        checkCpu(cpu);
        long expiry = number(request, "expiryMillis", expiryMillis);
        checkExpiry(expiry);
        return new ProbeBudget(limit, cpu, request.get("cpuPercent") instanceof Number, expiry, !Boolean.FALSE.equals(request.get("sharedBudget")));
    }

    public Json.Obj describe() {
        return new Json.Obj().put("linesPerSecond", linesPerSecond).put("cpuPercent", cpuPercent).put("cpuWindowMillis", cpuWindowMillis)
                .put("expiryMillis", expiryMillis).put("maxLive", maxLive).put("snapshotBytes", snapshotBytes);
    }

    private static void checkCpu(double percent) {
        if (!(percent > 0 && percent <= 100)) {
            throw new ProbeRefused("A CPU budget is a share of one core above 0% and at most 100%, not " + percent + "%.");
        }
    }

    private static void checkExpiry(long millis) {
        if (millis < 1000) {
            throw new ProbeRefused("A probe must live at least 1s, not " + millis + "ms.");
        }
    }

    private static long number(Map<String, Object> request, String key, long fallback) {
        Object value = request.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
            return n.longValue();
        }
        throw new ProbeRefused("'" + key + "' must be a whole number, not " + value + ".");
    }

    private static double decimal(Map<String, Object> request, String key, double fallback) {
        Object value = request.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        throw new ProbeRefused("'" + key + "' must be a number, not " + value + ".");
    }
}
