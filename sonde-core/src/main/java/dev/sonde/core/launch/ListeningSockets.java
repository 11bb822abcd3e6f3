package dev.sonde.core.launch;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The TCP addresses a local process listens on, as the kernel reports them: on Linux from the {@code socket:[inode]}
 * links under {@code /proc/PID/fd} and the listening rows of {@code /proc/net/tcp} and {@code tcp6}. Elsewhere, or for
 * another user's process, the list is empty.
 */
public final class ListeningSockets {

    private static final Path PROC = Path.of("/proc");
    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** The addresses process {@code pid} listens on; empty when they cannot be read. */
    public static List<InetSocketAddress> of(long pid) {
        Set<String> inodes = socketInodes(PROC.resolve(Long.toString(pid)).resolve("fd"));
        List<InetSocketAddress> listening = new ArrayList<>();
        if (inodes.isEmpty()) {
            return listening;
        }
        for (String table : List.of("net/tcp", "net/tcp6")) {
            List<String> lines;
            try {
                lines = Files.readAllLines(PROC.resolve(table));
            } catch (IOException | SecurityException e) {
                continue;
            }
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                // 0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000 1000 0 12345 ...
                String[] columns = line.strip().split("\\s+");
                if (columns.length >= 10 && columns[3].equals(LISTEN) && inodes.contains(columns[9])) {
                    listening.add(address(columns[1]));
                }
            }
        }
        return listening;
    }

    /** The address process {@code pid} listens on at {@code port}, if it can be read. */
    public static java.util.Optional<InetSocketAddress> on(long pid, int port) {
        return of(pid).stream().filter(a -> a.getPort() == port).findFirst();
    }

    /** {@code 0.0.0.0:5005}, {@code [::]:5005} or {@code 127.0.0.1:5005}: a listening address as people write it. */
    public static String describe(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        if (address.getAddress() instanceof java.net.Inet6Address) {
            host = address.getAddress().isAnyLocalAddress() ? "::" : address.getAddress().isLoopbackAddress() ? "::1" : host.replaceFirst("%.*$", "");
            return "[" + host + "]:" + address.getPort();
        }
        return host + ":" + address.getPort();
    }

    private static Set<String> socketInodes(Path fds) {
        Set<String> inodes = new HashSet<>();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(fds)) {
            for (Path descriptor : descriptors) {
                try {
                    String link = Files.readSymbolicLink(descriptor).toString();
                    if (link.startsWith("socket:[")) {
                        inodes.add(link.substring("socket:[".length(), link.length() - 1));
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, gone, or no /proc
        }
        return inodes;
    }

    /** {@code 0100007F:1F90} (IPv4) or 32 hex digits and a port (IPv6), each 32-bit word in the machine's byte order. */
    private static InetSocketAddress address(String hex) {
        int colon = hex.indexOf(':');
        String host = hex.substring(0, colon);
        int port = Integer.parseInt(hex.substring(colon + 1), 16);
        byte[] bytes = new byte[host.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                // /proc prints each word as the host's integer: little-endian on the machines Sonde runs on.
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(host.substring(at, at + 2), 16);
            }
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("unreadable address " + hex, e);
        }
    }
}
