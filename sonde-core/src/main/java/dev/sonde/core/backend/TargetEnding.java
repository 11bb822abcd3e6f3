package dev.sonde.core.backend;

import dev.sonde.core.event.Event;
import dev.sonde.core.launch.DebugServer;

import java.util.concurrent.TimeUnit;

/**
 * How a session with a target ends, the same for every backend: what the user asked for (nothing, detach,
 * terminate), then — for a target Sonde launched — its exit awaited a moment (and forced after it), its output
 * drained, and one sentence saying why it ended.
 */
public enum TargetEnding {
    /** Nobody asked: the target exited, or the connection went. */
    NONE,
    /** The user detached: the target runs on. */
    DETACH,
    /** The user ended the target. */
    TERMINATE;

    private static final long EXIT_WAIT_SECONDS = 3;
    private static final long OUTPUT_WAIT_SECONDS = 2;

    /**
     * Ends an owned server (unless detaching) and says why the session ended.
     *
     * @param ownedServer  the target Sonde launched, or null for one it attached to
     * @param exitCode     the exit code the protocol already reported, or null
     * @param targetEnded  whether the protocol said the target ended (a VM death, a DAP exited/terminated event)
     */
    public Event.Terminated finish(DebugServer ownedServer, Integer exitCode, boolean targetEnded) {
        Integer code = exitCode;
        if (ownedServer != null && this != DETACH) {
            try {
                code = ownedServer.exit().get(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception notYet) {
                ownedServer.kill();
                code = ownedServer.isAlive() ? code : ownedServer.exit().getNow(code);
            }
            try {
                ownedServer.outputDrained().get(OUTPUT_WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // report what arrived
            }
        }
        String reason = switch (this) {
            case DETACH -> "detached; the target keeps running";
            case TERMINATE -> "the target was killed";
            case NONE -> targetEnded || code != null
                    ? "the target exited" + (code == null ? "" : " with code " + code)
                    : "the connection to the target was lost";
        };
        return new Event.Terminated(reason, this == DETACH ? null : code);
    }
}
