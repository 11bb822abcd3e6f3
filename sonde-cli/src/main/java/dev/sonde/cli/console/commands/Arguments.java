package dev.sonde.cli.console.commands;

import dev.sonde.core.error.SondeException;

/** Reads the numbers commands take, failing with one sentence on anything else. */
final class Arguments {

    private Arguments() {
    }

    static long id(String text, String what) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("'" + text + "' is not a " + what + "; give a whole number.");
        }
    }

    static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("'" + text + "' is not a " + what + "; give a whole number.");
        }
    }

    /** The N of {@code up N} and {@code down N}: 1 when not given, positive otherwise. */
    static int frameCount(String argument) {
        int count = argument.isEmpty() ? 1 : number(argument, "frame count");
        if (count <= 0) {
            throw SondeException.invalidInput("The frame count must be positive, not " + count
                    + "; `up N` goes N frames toward the callers, `down N` back toward the top.");
        }
        return count;
    }
}
