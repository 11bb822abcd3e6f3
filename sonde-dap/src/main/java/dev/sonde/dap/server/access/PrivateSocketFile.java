package dev.sonde.dap.server.access;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;

/**
 * A Unix domain socket only its user can open: bound inside a fresh 0700 directory, made 0600, then renamed into place,
 * so it never exists at its path with looser permissions.
 */
public final class PrivateSocketFile {

    private static final int SOCKET_TYPE = 0140000;
    private static final int TYPE_MASK = 0170000;

    private PrivateSocketFile() {
    }

    /** Listens on {@code path}; a socket left there by an adapter that is gone is replaced. */
    public static ServerSocketChannel bind(Path path) {
        Path target = path.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw SondeException.invalidInput("The directory of --socket " + path + " does not exist; create it or choose another path.");
        }
        clearStale(target);
        Path scratch = null;
        ServerSocketChannel channel = null;
        try {
            scratch = Files.createTempDirectory(parent, ".sonde-dap-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path bound = scratch.resolve("s");
            channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
            channel.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, PosixFilePermissions.fromString("rw-------"));
            Files.move(bound, target, StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | UnsupportedOperationException e) {
            closeQuietly(channel);
            throw new SondeException(ErrorKind.CONNECTION, "Cannot listen on the socket " + path + " (" + e.getMessage()
                    + "); choose another path (a short one, in a directory you own).", e);
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch.resolve("s"));
                    Files.deleteIfExists(scratch);
                } catch (IOException ignored) {
                    // a leftover empty directory; harmless
                }
            }
        }
    }

    /** The owner of the socket file, the only user let in. */
    public static UserPrincipal owner(Path path) throws IOException {
        return Files.getOwner(path.toAbsolutePath().normalize(), LinkOption.NOFOLLOW_LINKS);
    }

    private static void clearStale(Path target) {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        boolean socket;
        try {
            socket = ((Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS) & TYPE_MASK) == SOCKET_TYPE;
        } catch (IOException | UnsupportedOperationException e) {
            socket = false;
        }
        if (!socket) {
            throw SondeException.invalidInput(target + " exists and is not a socket; choose another --socket path.");
        }
        try (SocketChannel probe = SocketChannel.open(UnixDomainSocketAddress.of(target))) {
            throw SondeException.badState("Another adapter listens on " + target + "; stop it or choose another --socket path.");
        } catch (IOException nobodyListens) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException e) {
                throw SondeException.badState("Cannot remove the old socket " + target + " (" + e.getMessage() + "); remove it by hand.");
            }
        }
    }

    private static void closeQuietly(ServerSocketChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
