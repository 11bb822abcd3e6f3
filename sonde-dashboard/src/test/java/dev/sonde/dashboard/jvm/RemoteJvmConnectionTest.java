package dev.sonde.dashboard.jvm;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link JvmConnection#connect} to JVMs that serve JMX on a loopback port, and the sentences when that goes wrong. */
class RemoteJvmConnectionTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void aJvmServingJmxIsReachedByUrlOrHostAndPort() {
        int port = freePort();
        try (TargetJvm sleeper = startServingJmx(port, List.of("-Dcom.sun.management.jmxremote.authenticate=false"))) {
            String url = url(port);
            try (JvmConnection connection = JvmConnection.connect(url, null, null, TIMEOUT)) {
                assertThat(connection.pid()).isEqualTo(sleeper.pid());
                assertThat(connection.mainClass()).isEqualTo(Sleeper.class.getName());
                assertThat(connection.describe()).isEqualTo("JVM at " + url);
                assertThat(connection.hasRuntime()).isFalse();
                assertThat(connection.platform().system().heapUsed()).isPositive();
                assertThat(connection.sessionsJson()).isEmpty();
                assertThatThrownBy(connection::snapshotJson).hasMessage("JVM at " + url + " does not run sonde-runtime; add the "
                        + "dev.sonde:sonde-runtime dependency and call SondeRuntime.install() at startup, as docs/runtime.md shows.");
            }
            try (JvmConnection shortly = JvmConnection.connect("127.0.0.1:" + port, null, null, TIMEOUT)) {
                assertThat(shortly.describe()).isEqualTo("JVM at " + url);
                assertThat(shortly.pid()).isEqualTo(sleeper.pid());
            }
        }
    }

    @Test
    void credentialsAreCheckedAndAWrongPasswordGetsOneSentence(@TempDir Path dir) throws IOException {
        Path passwords = dir.resolve("jmxremote.password");
        Files.writeString(passwords, "controlRole s3cret\n");
        // The JVM refuses to start with a password file that others can read.
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        int port = freePort();
        try (TargetJvm sleeper = startServingJmx(port, List.of("-Dcom.sun.management.jmxremote.authenticate=true",
                "-Dcom.sun.management.jmxremote.password.file=" + passwords))) {
            String url = url(port);
            try (JvmConnection connection = JvmConnection.connect(url, "controlRole", "s3cret", TIMEOUT)) {
                assertThat(connection.pid()).isEqualTo(sleeper.pid());
            }
            assertThatThrownBy(() -> JvmConnection.connect(url, "controlRole", "guess", TIMEOUT))
                    .isInstanceOfSatisfying(SondeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION))
                    .hasMessage("JVM at " + url + " refused the username and password (Authentication failed! Invalid username "
                            + "or password); check them against its jmxremote.password file.");
            assertThatThrownBy(() -> JvmConnection.connect(url, null, null, TIMEOUT))
                    .hasMessageStartingWith("JVM at " + url + " asks for a username and password (");
        }
    }

    @Test
    void nothingListeningAMalformedUrlAndSilenceGetOneSentenceEach() throws IOException {
        int port = freePort();
        assertThatThrownBy(() -> JvmConnection.connect(url(port), null, null, TIMEOUT))
                .isInstanceOfSatisfying(SondeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONNECTION))
                .hasMessage("Nothing listens for JMX at 127.0.0.1:" + port + " (connection refused); check the host and port, "
                        + "and that the JVM runs with -Dcom.sun.management.jmxremote.port=PORT.");

        assertThatThrownBy(() -> JvmConnection.connect("jmx://somewhere", null, null, TIMEOUT))
                .isInstanceOfSatisfying(SondeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.INVALID_INPUT))
                .hasMessage("'jmx://somewhere' is not a JMX service URL; write it as service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi, "
                        + "or HOST:PORT for short.");

        // A port that takes the connection and never says a word: the kernel accepts it into the backlog.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            String url = url(silent.getLocalPort());
            assertThatThrownBy(() -> JvmConnection.connect(url, null, null, Duration.ofSeconds(1)))
                    .isInstanceOfSatisfying(SondeException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TIMEOUT))
                    .hasMessage("JVM at " + url + " did not answer within 1s (it may be hung, or held by a debugger); try again, "
                            + "or give it longer with --timeout.");
        }
    }

    private static TargetJvm startServingJmx(int port, List<String> access) {
        List<String> args = new ArrayList<>(List.of("-Dcom.sun.management.jmxremote.port=" + port,
                "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
                "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.ssl=false"));
        args.addAll(access);
        args.addAll(List.of("-cp", Markers.classPath().toString(), Sleeper.class.getName()));
        return TargetJvm.start("sleeper up", args.toArray(String[]::new));
    }

    private static String url(int port) {
        return "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi";
    }

    /** A loopback port free right now (the JMX agent takes no port 0). */
    private static int freePort() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
