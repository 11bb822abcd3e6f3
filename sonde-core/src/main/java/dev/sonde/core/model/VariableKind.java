package dev.sonde.core.model;

/** Where a variable comes from. */
public enum VariableKind {
    ARGUMENT,
    LOCAL,
    THIS,
    FIELD,
    STATIC_FIELD,
    ELEMENT,
    /** A synthetic entry made by the debugger, such as a map entry or a captured variable. */
    SYNTHETIC
}
