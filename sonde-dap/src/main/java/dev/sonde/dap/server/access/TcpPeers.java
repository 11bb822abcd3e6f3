package dev.sonde.dap.server.access;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Who is at the other end of a TCP connection from this machine: Linux lists every socket with its owner's uid in
 * {@code /proc/net/tcp} and {@code tcp6}, so the peer's socket is the one whose local address is the connection's
 * remote one and the other way round.
 */
public final class TcpPeers {

    private static final List<Path> TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));

    private TcpPeers() {
    }

    /** The uid this process runs as; empty where {@code /proc} does not say (not Linux). */
    public static OptionalInt ownUid() {
        try {
            return OptionalInt.of((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return OptionalInt.empty();
        }
    }

    /**
     * Why a connection is refused, or empty to accept it: one from another user of this machine is refused, and so is
     * one from this machine whose owner cannot be found. One from another machine is accepted (a bind beyond loopback was
     * asked for explicitly), as is everything where {@code /proc} does not tell owners.
     */
    public static Optional<String> refusal(InetSocketAddress peer, InetSocketAddress local) {
        OptionalInt own = ownUid();
        if (own.isEmpty() || !Files.isReadable(TABLES.get(0))) {
            return Optional.empty();
        }
        OptionalInt owner = uidOf(peer, local);
        if (owner.isPresent()) {
            return owner.getAsInt() == own.getAsInt() ? Optional.empty()
                    : Optional.of("it comes from user " + owner.getAsInt() + ", and only user " + own.getAsInt() + " (who runs sonde dap) may connect");
        }
        return isThisMachine(peer.getAddress()) ? Optional.of("the user it comes from cannot be found in /proc/net/tcp") : Optional.empty();
    }

    /** The uid owning the socket at {@code peer} connected to {@code local}, when it is on this machine. */
    public static OptionalInt uidOf(InetSocketAddress peer, InetSocketAddress local) {
        for (Path table : TABLES) {
            List<String> lines;
            try {
                lines = Files.readAllLines(table);
            } catch (IOException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] fields = line.strip().split("\\s+");
                // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
                if (fields.length > 7 && matches(fields[1], peer) && matches(fields[2], local)) {
                    return OptionalInt.of(Integer.parseInt(fields[7]));
                }
            }
        }
        return OptionalInt.empty();
    }

    /** Whether {@code HEXADDRESS:HEXPORT} as /proc/net prints it is this address and port. */
    static boolean matches(String field, InetSocketAddress address) {
        int colon = field.indexOf(':');
        if (colon < 0 || Integer.parseInt(field.substring(colon + 1), 16) != address.getPort()) {
            return false;
        }
        InetAddress parsed = address(field.substring(0, colon));
        return parsed != null && parsed.equals(address.getAddress());
    }

    /**
     * An address as /proc/net prints it: 32-bit words in hex, each in the machine's byte order. IPv4-mapped IPv6
     * addresses come back as IPv4, as Java shows them.
     */
    static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int word = 0; word < hex.length(); word += 8) {
            bytes.putInt((int) Long.parseLong(hex.substring(word, word + 8), 16));
        }
        try {
            return InetAddress.getByAddress(bytes.array());
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isThisMachine(InetAddress address) {
        try {
            return address.isLoopbackAddress() || address.isAnyLocalAddress() || NetworkInterface.getByInetAddress(address) != null;
        } catch (SocketException e) {
            return true;
        }
    }
}
