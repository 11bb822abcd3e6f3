package dev.sonde.core.error;

/**
 * An error meant for a user: the message is one sentence saying what went wrong and what to do.
 * Anything that reaches a console, a JSON line or a DAP response as an error is one of these.
 */
public class SondeException extends RuntimeException {

    private final ErrorKind kind;

    public SondeException(ErrorKind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public SondeException(ErrorKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public ErrorKind kind() {
        return kind;
    }

    public static SondeException invalidInput(String message) {
        return new SondeException(ErrorKind.INVALID_INPUT, message);
    }

    public static SondeException notFound(String message) {
        return new SondeException(ErrorKind.NOT_FOUND, message);
    }

    public static SondeException badState(String message) {
        return new SondeException(ErrorKind.BAD_STATE, message);
    }

    public static SondeException targetGone(String message) {
        return new SondeException(ErrorKind.TARGET_GONE, message);
    }

    public static SondeException timeout(String message) {
        return new SondeException(ErrorKind.TIMEOUT, message);
    }

    public static SondeException connection(String message, Throwable cause) {
        return new SondeException(ErrorKind.CONNECTION, message, cause);
    }

    /**
     * Unwraps the completion and execution wrappers of futures and turns anything that is not a
     * {@link SondeException} into an internal error carrying the original as its cause.
     */
    public static SondeException from(Throwable failure) {
        Throwable t = failure;
        while ((t instanceof java.util.concurrent.CompletionException
                || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof SondeException se) {
            return se;
        }
        String detail = t.getMessage() == null ? t.getClass().getName() : t.getClass().getSimpleName() + ": " + t.getMessage();
        return new SondeException(ErrorKind.INTERNAL,
                "Internal error (" + detail + "); run again with --debug for the stack trace and report it.", t);
    }
}
