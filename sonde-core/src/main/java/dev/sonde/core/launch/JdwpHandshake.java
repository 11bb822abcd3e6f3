package dev.sonde.core.launch;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/** The 14-byte JDWP handshake: how to tell that a port is a live JDWP agent and not just any listener. */
public final class JdwpHandshake {

    private static final byte[] HANDSHAKE = "JDWP-Handshake".getBytes(StandardCharsets.US_ASCII);

    private JdwpHandshake() {
    }

    /** Outcome of one probe. */
    public enum Result {
        /** The port answered the JDWP handshake. */
        ANSWERED,
        /** Nothing listens there (or a debugger already holds the agent's only connection). */
        REFUSED,
        /** Something listens but did not answer like a JDWP agent. */
        NOT_JDWP
    }

    /**
     * Connects, exchanges the handshake and disconnects. Do not use on an agent started with
     * {@code suspend=y} that no debugger has attached to yet: the agent treats the probe as its debugger,
     * and when the probe leaves, it lets the target run.
     */
    public static Result probe(HostPort address, Duration timeout) {
        int millis = (int) Math.max(1, timeout.toMillis());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address.host(), address.port()), millis);
            socket.setSoTimeout(millis);
            socket.getOutputStream().write(HANDSHAKE);
            socket.getOutputStream().flush();
            byte[] reply = readFully(socket.getInputStream(), HANDSHAKE.length);
            return Arrays.equals(reply, HANDSHAKE) ? Result.ANSWERED : Result.NOT_JDWP;
        } catch (java.net.ConnectException e) {
            return Result.REFUSED;
        } catch (IOException e) {
            return Result.NOT_JDWP;
        }
    }

    private static byte[] readFully(InputStream in, int length) throws IOException {
        byte[] buffer = new byte[length];
        int read = 0;
        while (read < length) {
            int n = in.read(buffer, read, length - read);
            if (n < 0) {
                return Arrays.copyOf(buffer, read);
            }
            read += n;
        }
        return buffer;
    }
}
