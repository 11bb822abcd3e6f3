package dev.sonde.runtime.scopes;

/** The kinds of scope misuse. */
public enum ViolationKind {
    /** Exited on a thread other than the one that entered it. */
    WRONG_THREAD,
    /** Exited while a scope entered inside it was still open. */
    OUT_OF_ORDER,
    /** Exited a second time. */
    DOUBLE_EXIT,
    /** Never exited: its task or its thread ended first. */
    LEAK,
    /** The JDK threw {@code java.lang.WrongThreadException} inside a tracked operation. */
    JDK_WRONG_THREAD,
    /** The JDK threw {@code java.util.concurrent.StructureViolationException} inside a tracked operation. */
    JDK_STRUCTURE_VIOLATION
}
