package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;

/**
 * Where debug ports may listen. A debug port lets whoever reaches it run any code in the target, so
 * ports bind to loopback unless the user says otherwise, knowingly.
 */
public final class BindPolicy {

    public static final String LOOPBACK = "127.0.0.1";

    private BindPolicy() {
    }

    /** Refuses a non-loopback bind address unless {@code allowRemote}; returns the resolved address. */
    public static InetAddress check(String bindAddress, boolean allowRemote) {
        InetAddress address = resolve(bindAddress);
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw SondeException.invalidInput("Refusing to bind the debug port to " + bindAddress
                    + ": anyone who can reach a debug port can run any code in the target; pass --allow-remote if you mean it.");
        }
        return address;
    }

    /** Whether the address is a wildcard ({@code 0.0.0.0}, {@code *}, {@code ::}). */
    public static boolean isWildcard(String bindAddress) {
        return bindAddress.equals("*") || resolve(bindAddress).isAnyLocalAddress();
    }

    static InetAddress resolve(String bindAddress) {
        try {
            return InetAddress.getByName(bindAddress.equals("*") ? "0.0.0.0" : bindAddress);
        } catch (UnknownHostException e) {
            throw SondeException.invalidInput("Cannot resolve bind address '" + bindAddress + "'; use an IP address such as 127.0.0.1.");
        }
    }

    /** Fails with a clear message when {@code port} is already taken on {@code address}. Port 0 always passes. */
    public static void requireFree(InetAddress address, int port) {
        if (port == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(false);
            probe.bind(new InetSocketAddress(address, port), 1);
        } catch (IOException e) {
            throw new SondeException(dev.sonde.core.error.ErrorKind.CONNECTION, "Port " + port + " on " + address.getHostAddress()
                    + " is already in use; choose another with --port, or --port 0 to pick a free one.", e);
        }
    }

    /** A port that is free on {@code address} right now (for listeners that must keep one port, such as a JDWP agent). */
    public static int freePort(InetAddress address) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(address, 0), 1);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new SondeException(dev.sonde.core.error.ErrorKind.CONNECTION, "Cannot bind any port on " + address.getHostAddress()
                    + " (" + e.getMessage() + "); check the bind address and the machine's network setup.", e);
        }
    }

    /** A port that is free on loopback right now (for servers of ours that cannot bind port 0 themselves). */
    public static int freeLoopbackPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new SondeException(dev.sonde.core.error.ErrorKind.CONNECTION,
                    "Cannot bind any loopback port (" + e.getMessage() + "); check the machine's network setup.", e);
        }
    }
}
