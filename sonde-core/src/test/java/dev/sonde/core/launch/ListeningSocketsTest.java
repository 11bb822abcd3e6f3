package dev.sonde.core.launch;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What this very process listens on, read back from the kernel. */
class ListeningSocketsTest {

    @Test
    void readsTheLoopbackAndWildcardListenersOfAProcess() throws Exception {
        assumeTrue(java.nio.file.Files.isDirectory(java.nio.file.Path.of("/proc/self/fd")), "needs Linux's /proc");
        long self = ProcessHandle.current().pid();
        try (ServerSocket loopback = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             ServerSocket everywhere = new ServerSocket(0, 1, InetAddress.getByName("0.0.0.0"))) {
            assertThat(ListeningSockets.on(self, loopback.getLocalPort())).map(ListeningSockets::describe)
                    .contains("127.0.0.1:" + loopback.getLocalPort());
            assertThat(ListeningSockets.on(self, everywhere.getLocalPort())).map(InetSocketAddress::getAddress)
                    .get().matches(InetAddress::isAnyLocalAddress);
            assertThat(ListeningSockets.on(self, everywhere.getLocalPort()).map(ListeningSockets::describe).orElseThrow())
                    .isIn("0.0.0.0:" + everywhere.getLocalPort(), "[::]:" + everywhere.getLocalPort());
        }
        assertThat(ListeningSockets.of(-1)).isEmpty();
    }
}
