package dev.sonde.dashboard.watch;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.dashboard.history.Sample;

import java.time.Instant;

/**
 * What the dashboard knows of one JVM at one moment, as the page and reports receive it.
 *
 * @param runtime  the runtime's own JSON snapshot, verbatim (null without sonde-runtime)
 * @param platform what the JVM's platform MBeans said (null for a runtime JVM: its snapshot has the same figures)
 * @param sessions the debug sessions the JVM publishes when it is a Sonde process, else null
 * @param error    the one-sentence reason it is unreachable, else null
 */
public record JvmView(String id, long pid, String mainClass, String address, JvmStatus status, Health health, String error,
                      Instant firstSeen, Instant lastPoll, Instant endedAt, boolean hasRuntime,
                      @JsonRawValue String runtime, JsonNode platform, JsonNode sessions, Sample sample) {

    static JvmView connecting(String id, long pid, String mainClass, String address, Instant firstSeen) {
        return new JvmView(id, pid, mainClass, address, JvmStatus.CONNECTING, Health.grey("connecting"), null, firstSeen,
                null, null, false, null, null, null, null);
    }

    JvmView connected(long pid, String mainClass, boolean hasRuntime) {
        return new JvmView(id, pid > 0 ? pid : this.pid, mainClass == null || mainClass.equals("?") ? this.mainClass : mainClass,
                address, JvmStatus.LIVE, health, null, firstSeen, lastPoll, null, hasRuntime, runtime, platform, sessions, sample);
    }

    JvmView polled(Instant at, Health health, String runtime, JsonNode platform, JsonNode sessions, Sample sample) {
        return new JvmView(id, pid, mainClass, address, JvmStatus.LIVE, health, null, firstSeen, at, null, hasRuntime,
                runtime, platform, sessions, sample);
    }

    JvmView unreachable(String reason) {
        return new JvmView(id, pid, mainClass, address, JvmStatus.UNREACHABLE, Health.grey("unreachable"), reason, firstSeen,
                lastPoll, null, hasRuntime, runtime, platform, sessions, sample);
    }

    JvmView gone(Instant at) {
        return new JvmView(id, pid, mainClass, address, JvmStatus.GONE, Health.grey("the process ended"), null, firstSeen,
                lastPoll, at, hasRuntime, runtime, platform, null, sample);
    }

    /** The same JVM without its bulky parts, for the overview. */
    public JvmView summary() {
        return new JvmView(id, pid, mainClass, address, status, health, error, firstSeen, lastPoll, endedAt, hasRuntime,
                null, null, sessions, sample == null ? null : sample.withoutOperations());
    }
}
