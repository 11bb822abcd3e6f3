package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code sonde attach} to a JVM that is already running, and what happens when there is none. */
class AttachTest {

    private static DebugServer sleeper(ServerManager servers) {
        return servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Sleeper.class.getName())),
                (category, text) -> { });
    }

    @Test
    void attachBreakDetachAndAttachAgain() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = sleeper(servers);
            String address = server.address().toString();
            Cli.Run first = Cli.run("attach", address, "--json",
                    "--exec", "break dev.sonde.fixtures.Sleeper:" + Markers.line(Sleeper.class, "nap"),
                    "--exec", "wait 10s", "--exec", "where", "--exec", "detach");
            assertThat(first.exit()).as(first.toString()).isZero();
            JsonNode attached = first.result("attach", 0);
            assertThat(attached.path("address").asText()).isEqualTo(address);
            assertThat(attached.path("held").asBoolean()).isFalse();
            assertThat(first.result("break", 0).path("breakpoint").path("verified").asBoolean()).isTrue();
            assertThat(first.result("where", 0).path("frames").get(0).path("method").asText()).isEqualTo("main");
            assertThat(first.events("terminated").get(0).path("reason").asText()).isEqualTo("detached; the target keeps running");
            assertThat(server.isAlive()).isTrue();

            Cli.Run second = Cli.run("attach", address, "--exec", "threads");
            assertThat(second.exit()).as(second.toString()).isZero();
            assertThat(second.out()).contains("Attached to " + address).contains("main");
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void nothingListeningIsAClearErrorWithinTheTimeout() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        long start = System.nanoTime();
        Cli.Run run = Cli.run("attach", "127.0.0.1:" + port, "--timeout", "1s");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(run.err()).startsWith("error: Nothing accepted a debugger at 127.0.0.1:" + port + " within 1 s;");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(8_000);
    }

    @Test
    void malformedAddressIsAUsageError() {
        Cli.Run run = Cli.run("attach", "localhost:http");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).isEqualTo("error: Cannot read address 'localhost:http'; write it as HOST:PORT, for example 127.0.0.1:5005." + System.lineSeparator());
    }

    @Test
    void unknownHostIsAUsageError() {
        Cli.Run run = Cli.run("attach", "no-such-host.invalid:5005", "--timeout", "1s");
        assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("Cannot resolve host 'no-such-host.invalid'");
    }
}
