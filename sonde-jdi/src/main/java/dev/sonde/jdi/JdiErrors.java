package dev.sonde.jdi;

import com.sun.jdi.AbsentInformationException;
import com.sun.jdi.IncompatibleThreadStateException;
import com.sun.jdi.InvalidStackFrameException;
import com.sun.jdi.ObjectCollectedException;
import com.sun.jdi.VMDisconnectedException;
import com.sun.jdi.VMOutOfMemoryException;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

/** Turns JDI's exceptions into one-sentence {@link SondeException}s. */
public final class JdiErrors {

    private JdiErrors() {
    }

    public static SondeException translate(Throwable failure) {
        return switch (failure) {
            case SondeException se -> se;
            case VMDisconnectedException e -> SondeException.targetGone("The target VM has disconnected; the session is over.");
            case IncompatibleThreadStateException e -> SondeException.badState(
                    "The thread is running; wait for a stop or pause it first.");
            case InvalidStackFrameException e -> SondeException.badState(
                    "That frame is gone because the thread moved on; ask for the stack again.");
            case ObjectCollectedException e -> SondeException.badState(
                    "The object was garbage collected in the target; read the variable again.");
            case AbsentInformationException e -> new SondeException(ErrorKind.UNSUPPORTED,
                    "The class has no debug information; compile it with javac -g to see lines and locals.");
            // The agent could not allocate for one request; the target runs on.
            case VMOutOfMemoryException e -> new SondeException(ErrorKind.TARGET_THREW,
                    "The target threw java.lang.OutOfMemoryError for that request; it runs on, so ask for something smaller.");
            default -> SondeException.from(failure);
        };
    }
}
