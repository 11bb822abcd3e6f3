package dev.sonde.dashboard.watch;

import java.time.Duration;
import java.util.List;

/**
 * How the dashboard watches JVMs.
 *
 * @param interval how often each JVM is polled
 * @param rescan   how often local JVMs are listed again (new ones appear, ended ones are marked gone)
 * @param history  how much of each JVM's history is kept in memory
 * @param timeout  how long one exchange with a JVM may take before it counts as unreachable
 * @param remotes  JVMs elsewhere, by JMX service URL
 * @param amberAt  the share of a KPI's threshold from which it shows amber
 * @param locals   whether local JVMs are found by the Attach API (off for a dashboard that watches only --jmx URLs)
 */
public record WatchSettings(Duration interval, Duration rescan, Duration history, Duration timeout,
                            List<JvmSource.Remote> remotes, double amberAt, boolean locals) {

    public WatchSettings {
        remotes = List.copyOf(remotes);
        if (interval.toMillis() < 100) {
            throw new IllegalArgumentException("The poll interval " + interval.toMillis() + " ms is too short; use 100ms or more (default 1s).");
        }
    }

    /** Samples kept per JVM. */
    public int historyCapacity() {
        return (int) Math.max(2, history.toMillis() / interval.toMillis());
    }
}
