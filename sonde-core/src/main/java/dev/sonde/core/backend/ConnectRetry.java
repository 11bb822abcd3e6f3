package dev.sonde.core.backend;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.HostPort;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * The connect loop every backend uses: a debug server that is still starting refuses connections, so a refused
 * (or failed) connection is tried again with a growing pause until the time-out, then ends in one sentence.
 */
public final class ConnectRetry {

    /** One connection attempt that may take at most {@code timeoutMillis}. */
    @FunctionalInterface
    public interface Attempt<T> {
        T connect(InetAddress host, int timeoutMillis) throws IOException;
    }

    /**
     * What to say on giving up.
     *
     * @param refusedAdvice what to do when nothing ever listened, e.g. "start the target with -agentlib:jdwp=..."
     * @param peer          what was expected there, e.g. "the target" or "the DAP server"
     */
    public record Wording(String refusedAdvice, String peer) {
    }

    private static final long FIRST_PAUSE_MILLIS = 25;
    private static final long LONGEST_PAUSE_MILLIS = 500;

    private ConnectRetry() {
    }

    public static <T> T connect(HostPort address, Duration timeout, Wording wording, Attempt<T> attempt) {
        InetAddress host;
        try {
            host = InetAddress.getByName(address.host());
        } catch (UnknownHostException e) {
            throw SondeException.invalidInput("Cannot resolve host '" + address.host() + "'; check the name or use an IP address.");
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long pauseMillis = FIRST_PAUSE_MILLIS;
        while (true) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            try {
                return attempt.connect(host, (int) Math.max(500, Math.min(leftMillis, 5_000)));
            } catch (ConnectException refused) {
                if (leftMillis <= pauseMillis) {
                    throw new SondeException(ErrorKind.CONNECTION, "Nothing accepted a debugger at " + address + " within "
                            + timeout.toSeconds() + " s; " + wording.refusedAdvice() + ".", refused);
                }
            } catch (IOException e) {
                if (leftMillis <= pauseMillis) {
                    throw new SondeException(ErrorKind.CONNECTION, "Could not connect to " + address + " within " + timeout.toSeconds()
                            + " s (" + e.getMessage() + "); check that " + wording.peer() + " is up and reachable.", e);
                }
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw SondeException.badState("Interrupted while connecting to " + address + ".");
            }
            pauseMillis = Math.min(pauseMillis * 2, LONGEST_PAUSE_MILLIS);
        }
    }
}
