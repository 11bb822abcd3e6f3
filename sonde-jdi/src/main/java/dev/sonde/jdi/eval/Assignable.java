package dev.sonde.jdi.eval;

/** A node that names storage: a variable, a field, an array element. */
sealed interface Assignable extends Node permits NameNode, FieldAccessNode, ArrayAccessNode {

    /** Evaluates what the place depends on (the object, the array and index) and returns the place. */
    Place place(Context ctx);
}
