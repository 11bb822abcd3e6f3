package dev.sonde.runtime.settings;

/** How scope misuse is handled. */
public enum ScopeMode {
    /** Scopes are not tracked at all. */
    OFF,
    /** Misuse is recorded and the program goes on; the default. */
    REPORT,
    /** Misuse is recorded and refused: the misusing call throws and the scope stays as it was. */
    STRICT
}
