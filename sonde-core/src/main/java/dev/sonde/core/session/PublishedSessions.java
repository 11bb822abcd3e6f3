package dev.sonde.core.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.core.error.SondeException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The debug sessions one Sonde process publishes over JMX ({@link SessionMBeans#NAME}), as
 * {@link SessionMBeans#SESSIONS_JSON} returns them: what the process writes and what a reader parses.
 *
 * @param pid      the Sonde process
 * @param command  the sonde command it runs ({@code debug}, {@code attach}, {@code dap}, {@code snapshot}, ...),
 *                 or {@code embedded} for a program using sonde-core itself
 * @param sessions live sessions first, then the last ended ones; each group oldest first
 */
public record PublishedSessions(long pid, String command, List<Published> sessions) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public PublishedSessions {
        sessions = List.copyOf(sessions);
    }

    /**
     * One session.
     *
     * @param backend      {@code jdi} or {@code dap}; null while connecting
     * @param startedAt    ISO-8601 instant
     * @param endedAt      ISO-8601 instant; null while the session lives
     * @param endReason    why it ended; null while it lives
     * @param stops        times the target stopped
     * @param heldMillis   total time the target spent stopped
     * @param eventsByKind events seen, by event type ({@code Stopped}, {@code Continued}, {@code Output}, ...)
     */
    public record Published(String id, String name, SessionState state, String backend, Target target, String startedAt,
                            String endedAt, String endReason, List<PublishedBreakpoint> breakpoints, long stops,
                            long heldMillis, Map<String, Long> eventsByKind) {

        public Published {
            breakpoints = List.copyOf(breakpoints);
            eventsByKind = Map.copyOf(eventsByKind);
        }

        public Instant started() {
            return Instant.parse(startedAt);
        }

        public Optional<Instant> ended() {
            return Optional.ofNullable(endedAt).map(Instant::parse);
        }

        /** Events of one type seen so far ({@code events("Stopped")}). */
        public long events(String kind) {
            return eventsByKind.getOrDefault(kind, 0L);
        }
    }

    /**
     * What a session debugs; every field is null until it is known.
     *
     * @param pid the target's process id: known for targets Sonde launched and for local ones attached by port
     */
    public record Target(String description, Long pid, String host, Integer port) {

        static final Target UNKNOWN = new Target(null, null, null, null);
    }

    /**
     * One breakpoint of a session.
     *
     * @param spec    where, as a user would type it
     * @param kind    {@code line}, {@code method}, {@code methodExit}, {@code exception} or {@code field}
     * @param action  {@code stop}, {@code log} or {@code snapshot}
     * @param enabled whether hits act (breakpoints cannot be disabled yet, so always true)
     * @param hits    times it was hit (stops, log lines and snapshots it made)
     */
    public record PublishedBreakpoint(int id, String spec, String kind, String action, boolean enabled, boolean verified,
                                      long hits) {
    }

    /** Reads what {@link SessionMBeans#SESSIONS_JSON} returned. */
    public static PublishedSessions parse(String json) {
        try {
            return JSON.readValue(json, PublishedSessions.class);
        } catch (JsonProcessingException e) {
            throw SondeException.invalidInput("The published sessions are not readable (" + e.getOriginalMessage()
                    + "); the Sonde process may be of another version: run the same version on both sides.");
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("published sessions cannot be written as JSON", e);
        }
    }
}
