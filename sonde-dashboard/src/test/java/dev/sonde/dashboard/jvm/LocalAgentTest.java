package dev.sonde.dashboard.jvm;

import dev.sonde.core.launch.ListeningSockets;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a connection by pid leaves listening in the target: read back from the kernel ({@code /proc}), every port of
 * the target is on loopback, before and after, and a second connection reuses the first one's connector.
 */
class LocalAgentTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void theConnectorListensOnLoopbackOnlyAndIsReused() {
        try (TargetJvm sleeper = TargetJvm.start("sleeper up", "-cp", Markers.classPath().toString(), Sleeper.class.getName())) {
            LocalAgent first;
            try (JvmConnection connection = JvmConnection.open(sleeper.pid(), TIMEOUT)) {
                first = connection.localAgent().orElseThrow();
            }
            assumeOnlySondeAttached(first);
            // Started by this connection, or by another Sonde (a dashboard watching every JVM) a moment before.
            assertThat(first.kind()).isIn(LocalAgent.Kind.LOOPBACK_STARTED, LocalAgent.Kind.LOOPBACK_REUSED);
            assertLoopbackOnly(sleeper.pid());
            List<InetSocketAddress> listening = ListeningSockets.of(sleeper.pid());
            assertThat(listening).hasSize(1);

            try (JvmConnection again = JvmConnection.open(sleeper.pid(), TIMEOUT)) {
                assertThat(again.localAgent()).get().isEqualTo(new LocalAgent(first.url(), LocalAgent.Kind.LOOPBACK_REUSED));
                assertThat(again.platform().uptimeMillis()).isPositive();
            }
            assertThat(ListeningSockets.of(sleeper.pid())).isEqualTo(listening);
            if (first.kind() == LocalAgent.Kind.LOOPBACK_STARTED) {
                assertThat(first.leftOpen(sleeper.pid())).isEqualTo("JMX: JVM " + sleeper.pid() + " keeps the connector Sonde started on "
                        + ListeningSockets.describe(listening.get(0)) + " until it exits (loopback only, no password: any local user can"
                        + " connect; Sonde reuses it).");
            }
        }
    }

    @Test
    void aStubHostOtherThan127001IsWhereTheConnectorListens() {
        // Debian names the machine 127.0.1.1: the RMI stub then points there, so the connector must listen there too.
        try (TargetJvm sleeper = TargetJvm.start("sleeper up", "-Djava.rmi.server.hostname=127.0.1.1", "-cp", Markers.classPath().toString(),
                Sleeper.class.getName());
             JvmConnection connection = JvmConnection.open(sleeper.pid(), TIMEOUT)) {
            assumeOnlySondeAttached(connection.localAgent().orElseThrow());
            assertThat(connection.localAgent().orElseThrow().url()).startsWith("service:jmx:rmi:///jndi/rmi://127.0.1.1:");
            assertThat(connection.platform().uptimeMillis()).isPositive();
            assertLoopbackOnly(sleeper.pid());
        }
    }

    @Test
    void aJdk17TargetGetsALoopbackConnectorToo() throws Exception {
        Path java17 = Path.of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
        assumeTrue(Files.isExecutable(java17), "needs a JDK 17 at " + java17);
        Path source = Files.writeString(dir.resolve("Nap.java"),
                "public class Nap { public static void main(String[] a) throws Exception { System.out.println(\"nap up\"); Thread.sleep(120_000); } }");
        Process nap = new ProcessBuilder(java17.toString(), source.toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(nap.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("nap up");
            try (JvmConnection connection = JvmConnection.open(nap.pid(), TIMEOUT)) {
                assumeOnlySondeAttached(connection.localAgent().orElseThrow());
                assertThat(connection.platform().vmVersion()).startsWith("17");
                // Started by this connection, or by another Sonde (a dashboard watching every JVM) a moment before: loopback either way.
                assertThat(connection.localAgent().orElseThrow().kind()).isIn(LocalAgent.Kind.LOOPBACK_STARTED, LocalAgent.Kind.LOOPBACK_REUSED);
            }
            assertLoopbackOnly(nap.pid());
        } finally {
            nap.destroyForcibly();
        }
    }

    private static void assertLoopbackOnly(long pid) {
        assertThat(ListeningSockets.of(pid)).as("what JVM %d listens on", pid).isNotEmpty()
                .allSatisfy(address -> assertThat(address.getAddress().isLoopbackAddress()).as(address.toString()).isTrue());
    }

    /**
     * Other tools on this machine (a dashboard watching every JVM) may have started the JDK's local agent in the
     * target first: then Sonde reuses it, says so, and there is nothing of ours to check.
     */
    private static void assumeOnlySondeAttached(LocalAgent agent) {
        if (agent.kind() == LocalAgent.Kind.JDK_LOCAL_REUSED) {
            assertThat(agent.leftOpen(1)).contains("listens on every interface");
        }
        assumeTrue(agent.kind() != LocalAgent.Kind.JDK_LOCAL_REUSED, "another tool started the JDK's local agent in the target first");
    }
}
