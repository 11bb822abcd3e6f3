package dev.sonde.jdi.eval;

import dev.sonde.core.error.SondeException;

/** A pattern variable ({@code ord} after {@code o instanceof Order ord}), bound when its pattern matched. */
record BindingNode(String source, int index) implements Node {

    @Override
    public Operand eval(Context ctx) {
        Operand bound = ctx.binding(index);
        if (bound == null) {
            throw SondeException.invalidInput(Errors.code(source) + " is not bound here: the instanceof that declares it has not matched.");
        }
        return bound;
    }
}
