package dev.sonde.core.launch;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PortOwnerTest {

    @Test
    void findsThisProcessListeningAndServingAnAcceptedConnection() throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/net/tcp")), "needs Linux /proc");
        long me = ProcessHandle.current().pid();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HostPort address = new HostPort("127.0.0.1", server.getLocalPort());
            assertThat(PortOwner.of(address)).hasValue(me);

            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 Socket accepted = server.accept()) {
                server.close();
                // No longer listening, as a JDWP agent once a debugger is in: the accepted socket tells.
                assertThat(PortOwner.of(new HostPort("localhost", address.port()))).hasValue(me);
            }
        }
    }

    @Test
    void knowsNothingOfRemoteHostsOrFreePorts() throws IOException {
        int free;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        assertThat(PortOwner.of(new HostPort("127.0.0.1", free))).isEmpty();
        assertThat(PortOwner.of(new HostPort("192.0.2.1", 5005))).isEmpty();
    }
}
