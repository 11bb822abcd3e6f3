package dev.sonde.core.backend;

/** How far a step goes. */
public enum StepKind {
    /** To the next line in the same method, running calls to completion ({@code next}). */
    OVER,
    /** Into the first call on the line, if it is user code ({@code step}). */
    INTO,
    /** Until the current method returns ({@code finish}). */
    OUT
}
