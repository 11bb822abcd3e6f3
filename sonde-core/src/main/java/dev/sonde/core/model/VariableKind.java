package dev.sonde.core.model;

/** Where a variable comes from. */
public enum VariableKind {
    ARGUMENT,
    LOCAL,
    THIS,
    FIELD,
    STATIC_FIELD,
    ELEMENT,
    /** The value the method just left returned, shown first after a step out and at a method-exit stop. */
    RETURN_VALUE,
    /** A synthetic entry made by the debugger, such as a map entry or a captured variable. */
    SYNTHETIC
}
