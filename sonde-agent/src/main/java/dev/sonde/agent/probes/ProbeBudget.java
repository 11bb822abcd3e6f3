package dev.sonde.agent.probes;

/**
 * The limits of one probe.
 *
 * @param linesPerSecond its output rate
 * @param cpuPercent     CPU it may use alone, in percent of one core over the agent's window
 * @param ownCpuBudget   whether the request set {@code cpuPercent} (the disable sentence then names the probe's own budget)
 * @param expiryMillis   how long it lives
 * @param shared         whether it counts against the budget of all probes together; a debug session's probes do not
 *                       (the user chose to debug this JVM, and their own budget still holds them)
 */
public record ProbeBudget(int linesPerSecond, double cpuPercent, boolean ownCpuBudget, long expiryMillis, boolean shared) {

    public ProbeBudget(int linesPerSecond, double cpuPercent, boolean ownCpuBudget, long expiryMillis) {
        this(linesPerSecond, cpuPercent, ownCpuBudget, expiryMillis, true);
    }
}
