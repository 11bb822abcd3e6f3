package dev.sonde.dashboard.watch;

/** Where the dashboard stands with one JVM. */
public enum JvmStatus {
    /** Found; the first connection is being opened. */
    CONNECTING,
    /** Connected and answering. */
    LIVE,
    /** Found or configured, but the connection failed or the JVM stopped answering; retried at each rescan. */
    UNREACHABLE,
    /** The process ended; its last data is kept. */
    GONE
}
