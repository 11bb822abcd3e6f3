package dev.sonde.dap.server.variables;

import dev.sonde.dap.server.threads.FrameRef;

/** What a DAP variablesReference stands for: something with variables inside, and the frame that reached it. */
public sealed interface Container {

    /** The frame in whose context names under this container are evaluated (for setVariable). */
    FrameRef frame();

    /** {@code this}, the arguments and the locals of a frame. */
    record Locals(FrameRef frame) implements Container {
    }

    /** The static fields of the class whose code a frame runs. */
    record Statics(FrameRef frame) implements Container {
    }

    /**
     * The fields, elements or entries of a value.
     *
     * @param ref          the value's Sonde handle
     * @param evaluateName a Java expression for the value, or null when none reaches it
     * @param type         the value's runtime type, which declares or inherits its fields
     */
    record Children(FrameRef frame, long ref, Shape shape, String evaluateName, String type) implements Container {
    }

    /** What {@code toString()} of an object says, run only when the client opens it (a lazy variable). */
    record Text(FrameRef frame, long ref) implements Container {
    }

    /** How the children of a value are named in Java. */
    enum Shape {
        /** Fields: {@code expr.field}. */
        OBJECT,
        /** Elements: {@code expr[i]}. */
        ARRAY,
        /** Elements or entries of a collection, read from its internals: no plain Java expression names them. */
        COLLECTION
    }
}
