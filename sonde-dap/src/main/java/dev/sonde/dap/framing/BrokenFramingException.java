package dev.sonde.dap.framing;

import java.io.IOException;

/**
 * The peer sent bytes that cannot be read as DAP messages (no {@code Content-Length} header, a bad length, a body that
 * is not JSON): there is no telling where the next message starts, so the connection can only be closed. The message
 * is one sentence saying what came.
 */
public final class BrokenFramingException extends IOException {

    public BrokenFramingException(String sentence) {
        super(sentence);
    }
}
