package dev.sonde.core.session;

/** CONNECTING → RUNNING ⇄ STOPPED → TERMINATED. TERMINATED is final. */
public enum SessionState {
    CONNECTING,
    RUNNING,
    STOPPED,
    TERMINATED;

    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
