package dev.sonde.dap.server;

import dev.sonde.core.error.SondeException;

/** Checks of request arguments that lsp4j's types cannot express, with the one-sentence errors a client shows. */
public final class Require {

    private Require() {
    }

    /** The value of a required argument, or an invalid-input error naming it. */
    public static <T> T present(T value, String command, String argument) {
        if (value == null) {
            throw SondeException.invalidInput("The '" + command + "' request needs the '" + argument
                    + "' argument; add it, as the Debug Adapter Protocol specifies.");
        }
        return value;
    }
}
