package dev.sonde.core.error;

/** What kind of problem a {@link SondeException} reports; renderers and exit codes use it. */
public enum ErrorKind {
    /** The user's input (a command, a location, an expression, a flag, a config file) is malformed. */
    INVALID_INPUT,
    /** The input is well formed but names something that does not exist (class, thread, frame, breakpoint). */
    NOT_FOUND,
    /** The request does not fit the current state (reading a stack of a running thread, say). */
    BAD_STATE,
    /** The target process or connection is gone. */
    TARGET_GONE,
    /** Something did not happen in the time allowed. */
    TIMEOUT,
    /** A network peer could not be reached or refused us. */
    CONNECTION,
    /** The target cannot do what was asked (an old JVM, a capability it lacks). */
    UNSUPPORTED,
    /**
     * Code an expression ran in the target threw (or Java's rules would throw, as for {@code / by zero}); the message
     * names the exception as "threw java.lang.X: message".
     */
    TARGET_THREW,
    /** A bug in Sonde. */
    INTERNAL
}
