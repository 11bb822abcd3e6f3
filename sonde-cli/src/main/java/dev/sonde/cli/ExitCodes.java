package dev.sonde.cli;

import dev.sonde.core.error.ErrorKind;

/** Process exit codes, documented in the README. */
public final class ExitCodes {

    public static final int OK = 0;
    /** A command failed (a batch command, a check of doctor, ...). */
    public static final int FAILED = 1;
    /** The command line or a config file is wrong. */
    public static final int USAGE = 2;
    /** The target could not be reached or went away. */
    public static final int UNREACHABLE = 3;
    /** Something did not happen in time. */
    public static final int TIMEOUT = 4;
    /** A bug in Sonde. */
    public static final int INTERNAL = 70;

    private ExitCodes() {
    }

    public static int of(ErrorKind kind) {
        return switch (kind) {
            case INVALID_INPUT -> USAGE;
            case CONNECTION, TARGET_GONE -> UNREACHABLE;
            case TIMEOUT -> TIMEOUT;
            case INTERNAL -> INTERNAL;
            case NOT_FOUND, BAD_STATE, UNSUPPORTED, TARGET_THREW -> FAILED;
        };
    }
}
