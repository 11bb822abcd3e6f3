package dev.sonde.core.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Finds the local process that owns a TCP port, best effort: on Linux from {@code /proc/net/tcp} and
 * {@code /proc/net/tcp6} (socket inode by local port) and the {@code socket:[inode]} links under
 * {@code /proc/PID/fd}; elsewhere, or for processes of other users, nothing.
 */
public final class PortOwner {

    private static final Path PROC = Path.of("/proc");
    // /proc/net/tcp states. A JDWP agent stops listening once a debugger is in: then its accepted socket tells.
    private static final String LISTEN = "0A";
    private static final String ESTABLISHED = "01";

    private PortOwner() {
    }

    /** The pid of the process serving {@code address}, when the host is this machine and the pid can be read. */
    public static OptionalLong of(HostPort address) {
        return isLoopback(address.host()) ? servingPort(address.port()) : OptionalLong.empty();
    }

    /** The pid of the local process with a socket listening on, or accepted on, {@code port}. */
    public static OptionalLong servingPort(int port) {
        try {
            List<String> sockets = new ArrayList<>();
            for (String table : List.of("net/tcp", "net/tcp6")) {
                Path file = PROC.resolve(table);
                if (Files.isReadable(file)) {
                    List<String> lines = Files.readAllLines(file);
                    sockets.addAll(lines.subList(Math.min(1, lines.size()), lines.size()));
                }
            }
            Set<String> inodes = socketInodes(sockets, port, LISTEN);
            if (inodes.isEmpty()) {
                inodes = socketInodes(sockets, port, ESTABLISHED);
            }
            return inodes.isEmpty() ? OptionalLong.empty() : processWithSocket(inodes);
        } catch (IOException | UncheckedIOException e) {
            return OptionalLong.empty();
        }
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Lines look like {@code 0: 0100007F:1F90 00000000:0000 0A ... uid timeout inode ...}. */
    private static Set<String> socketInodes(List<String> sockets, int port, String state) {
        Set<String> inodes = new HashSet<>();
        for (String line : sockets) {
            String[] columns = line.strip().split("\\s+");
            if (columns.length < 10) {
                continue;
            }
            String local = columns[1];
            int colon = local.lastIndexOf(':');
            if (colon < 0 || Integer.parseInt(local.substring(colon + 1), 16) != port || !columns[3].equals(state)) {
                continue;
            }
            if (!columns[9].equals("0")) {
                inodes.add(columns[9]);
            }
        }
        return inodes;
    }

    private static OptionalLong processWithSocket(Set<String> inodes) throws IOException {
        Set<String> links = new HashSet<>();
        inodes.forEach(inode -> links.add("socket:[" + inode + "]"));
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, entry -> entry.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path process : processes) {
                if (holdsAny(process.resolve("fd"), links)) {
                    return OptionalLong.of(Long.parseLong(process.getFileName().toString()));
                }
            }
        }
        return OptionalLong.empty();
    }

    private static boolean holdsAny(Path fds, Set<String> links) {
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(fds)) {
            for (Path descriptor : descriptors) {
                try {
                    if (links.contains(Files.readSymbolicLink(descriptor).toString())) {
                        return true;
                    }
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        } catch (IOException | SecurityException e) {
            // another user's process, or gone
        }
        return false;
    }
}
