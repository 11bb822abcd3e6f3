package dev.sonde.runtime.resources;

/** Why a resource is reported as leaked. */
public enum LeakReason {
    /** Still open after {@code resources.leakAge}: a suspicion, reported once per resource. */
    OLDER_THAN_THRESHOLD,
    /** Garbage collected without having been closed: certain. */
    COLLECTED_WITHOUT_CLOSE
}
