package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.launch.BindPolicy;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JdwpHandshake;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.fixtures.Exiter;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.Spawner;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.Socket;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.javaArgs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The debuggee side: {@link DebugServer} and {@link ServerManager} with real JVMs and real ports. */
class DebugServerTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    @Test
    void portZeroPicksAFreeLoopbackPortAndIsReadyWhenStartReturns() {
        Output output = new Output();
        DebugServer server = Targets.serve(servers, output, Sleeper.class);

        HostPort address = server.address();
        assertThat(address.host()).isEqualTo("127.0.0.1");
        assertThat(address.port()).isBetween(1, 65535);
        // start() returned only once the agent answered the handshake and listened again: one probe must succeed.
        assertThat(server.health()).isEqualTo(new DebugServer.Health(DebugServer.Health.Status.LISTENING,
                "answers the JDWP handshake at " + address));
        assertThat(server.isAlive()).isTrue();
        assertThat(ProcessHandle.of(server.pid())).isPresent();
        // The agent is told the port itself: told port 0 it would move to a new port whenever a debugger leaves.
        assertThat(ProcessHandle.of(server.pid()).orElseThrow().info().arguments().orElseThrow())
                .contains("-agentlib:jdwp=transport=dt_socket,server=y,suspend=n,address=127.0.0.1:" + address.port()
                        + ",includevirtualthreads=y");
        // A debugger coming and going (the probe above) leaves the address as it was.
        assertThat(answersWithin(address, WAIT)).isTrue();
        assertThat(output.await(OutputCategory.STDOUT, "sleeper up", WAIT)).doesNotContain("Listening for transport");

        server.stop();
        assertThat(server.isAlive()).isFalse();
        assertThat(JdwpHandshake.probe(address, Duration.ofSeconds(2))).isEqualTo(JdwpHandshake.Result.REFUSED);
        assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.EXITED);
    }

    @Test
    void listensOnLoopbackOnlyByDefault() {
        Optional<InetAddress> external = nonLoopbackAddress();
        assumeTrue(external.isPresent(), "the machine has no non-loopback IPv4 address");
        DebugServer server = Targets.serve(servers, new Output(), Sleeper.class);

        HostPort outside = new HostPort(external.get().getHostAddress(), server.address().port());
        assertThat(JdwpHandshake.probe(outside, Duration.ofSeconds(2))).isEqualTo(JdwpHandshake.Result.REFUSED);
        assertThat(JdwpHandshake.probe(server.address(), Duration.ofSeconds(5))).isEqualTo(JdwpHandshake.Result.ANSWERED);
    }

    @Test
    void aNonLoopbackBindIsRefusedWithoutAllowRemote() {
        long childrenBefore = ProcessHandle.current().children().count();
        JvmLaunchSpec everywhere = JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind("0.0.0.0", 0, false);

        SondeException error = failure(() -> servers.start(everywhere, new Output()));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).isEqualTo("Refusing to bind the debug port to 0.0.0.0: anyone who can reach a debug port"
                + " can run any code in the target; pass --allow-remote if you mean it.");
        assertThat(ProcessHandle.current().children().count()).isEqualTo(childrenBefore);
        assertThat(servers.list()).isEmpty();

        Optional<InetAddress> external = nonLoopbackAddress();
        if (external.isPresent()) {
            String address = external.get().getHostAddress();
            SondeException specific = failure(() -> servers.start(
                    JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind(address, 0, false), new Output()));
            assertThat(specific.getMessage()).startsWith("Refusing to bind the debug port to " + address + ": ");
        }
    }

    @Test
    void aBusyPortGivesAClearError() throws Exception {
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();

            SondeException error = failure(() -> servers.start(
                    JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind("127.0.0.1", port, false), new Output()));

            assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(error.getMessage()).isEqualTo("Port " + port + " on 127.0.0.1 is already in use;"
                    + " choose another with --port, or --port 0 to pick a free one.");
        }
    }

    @Test
    void aDebuggerThatConnectsBeforeTheReadinessProbeDoesNotFailTheStart() throws Exception {
        int port = BindPolicy.freeLoopbackPort();
        CountDownLatch connected = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // A debugger already trying the port: it connects the moment the agent listens, before the server's probe.
        Thread eager = Thread.ofPlatform().daemon().start(() -> {
            while (connected.getCount() > 0) {
                try (Socket debugger = new Socket()) {
                    debugger.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                    debugger.getOutputStream().write("JDWP-Handshake".getBytes(StandardCharsets.US_ASCII));
                    byte[] reply = debugger.getInputStream().readNBytes(14);
                    if (new String(reply, StandardCharsets.US_ASCII).equals("JDWP-Handshake")) {
                        connected.countDown();
                        release.await();
                    }
                } catch (IOException notYet) {
                    Thread.onSpinWait();
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try {
            DebugServer server = servers.start(JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind("127.0.0.1", port, false), new Output());

            assertThat(connected.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            assertThat(server.isAlive()).isTrue();
            assertThat(server.address().port()).isEqualTo(port);
            assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.ATTACHED);
            release.countDown();
            eager.join();
            assertThat(answersWithin(server.address(), WAIT)).isTrue();
        } finally {
            release.countDown();
            connected.countDown();
        }
    }

    @Test
    void aJvmThatCannotStartSaysWhy() {
        JvmLaunchSpec broken = JvmLaunchSpec.of(List.of("-XX:+NoSuchSondeOption", "-cp", "x", "Main"));

        SondeException error = failure(() -> servers.start(broken, new Output()));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).startsWith("The debuggee exited with code 1 before its debug port opened: ")
                .contains("NoSuchSondeOption");
    }

    @Test
    void outputIsForwardedWithItsCategory() throws Exception {
        Output output = new Output();
        DebugServer server = Targets.serve(servers, output, Exiter.class, "500", "3");

        assertThat(server.exit().get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(3);
        server.outputDrained().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        String nl = System.lineSeparator();
        assertThat(output.of(OutputCategory.STDOUT))
                .isEqualTo("exiter started" + nl + "exiter leaving with 3" + nl);
        assertThat(output.of(OutputCategory.STDERR)).contains("exiter stderr line").doesNotContain("exiter started");
        assertThat(server.health()).isEqualTo(new DebugServer.Health(DebugServer.Health.Status.EXITED, "exited with code 3"));
        assertThat(servers.list()).doesNotContain(server);
    }

    @Test
    void stopLeavesNoOrphanProcess() throws Exception {
        Output output = new Output();
        DebugServer server = Targets.serve(servers, output, Spawner.class);
        output.await(OutputCategory.STDOUT, "sleeper up", WAIT);
        // The child shares the parent's stdout, so its line may come before or after the parent's "child PID".
        String announced = output.await(OutputCategory.STDOUT, "child ", WAIT);
        long childPid = Long.parseLong(announced.lines().filter(l -> l.startsWith("child ")).findFirst().orElseThrow()
                .substring("child ".length()));
        List<ProcessHandle> family = ProcessHandle.of(server.pid()).orElseThrow().descendants().toList();
        assertThat(family).extracting(ProcessHandle::pid).contains(childPid);
        ProcessHandle debuggee = ProcessHandle.of(server.pid()).orElseThrow();

        server.stop();

        debuggee.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        for (ProcessHandle member : family) {
            member.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(member.isAlive()).as("descendant " + member.pid()).isFalse();
        }
        assertThat(ProcessHandle.of(childPid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
        server.stop(); // a second stop is harmless
    }

    @Test
    void serverManagerStartsListsAndStopsOneOrAll() throws Exception {
        DebugServer first = Targets.serve(servers, new Output(), Sleeper.class);
        DebugServer second = Targets.serve(servers, new Output(), Sleeper.class);
        assertThat(first.address().port()).isNotEqualTo(second.address().port());
        assertThat(servers.list()).containsExactly(first, second);
        assertThat(servers.find(second.id())).contains(second);

        servers.stop(first.id());
        assertThat(first.isAlive()).isFalse();
        assertThat(second.isAlive()).isTrue();
        assertThat(servers.list()).containsExactly(second);
        SondeException unknown = failure(() -> servers.stop(first.id()));
        assertThat(unknown.kind()).isEqualTo(ErrorKind.NOT_FOUND);
        assertThat(unknown.getMessage()).isEqualTo("There is no debug server " + first.id() + "; list the running ones first.");

        DebugServer third = Targets.serve(servers, new Output(), Sleeper.class);
        ProcessHandle secondProcess = ProcessHandle.of(second.pid()).orElseThrow();
        ProcessHandle thirdProcess = ProcessHandle.of(third.pid()).orElseThrow();
        servers.stopAll();
        assertThat(servers.list()).isEmpty();
        secondProcess.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        thirdProcess.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exit", "SIGINT", "SIGTERM"})
    void debuggeesDoNotOutliveTheProcessThatStartedThem(String ending) throws Exception {
        Process owner = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), ServerOwnerMain.class.getName(),
                ending.equals("exit") ? "exit" : "wait")
                .redirectErrorStream(true)
                .start();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(owner.getInputStream(), StandardCharsets.UTF_8))) {
            String first = lines.readLine();
            assertThat(first).as("the owner's first line").startsWith("debuggee ");
            ProcessHandle debuggee = ProcessHandle.of(Long.parseLong(first.substring("debuggee ".length()))).orElseThrow();
            if (!ending.equals("exit")) {
                // Ctrl-C in a terminal is SIGINT; a service manager sends SIGTERM.
                new ProcessBuilder("kill", "-" + ending.substring(3), Long.toString(owner.pid())).start().waitFor();
            }

            assertThat(owner.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            debuggee.onExit().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(debuggee.isAlive()).isFalse();
        } finally {
            owner.destroyForcibly();
        }
    }

    @Test
    void aHeldServerIsNotReleasedByHealthChecks() {
        DebugServer server = servers.start(JvmLaunchSpec.of(javaArgs(Sleeper.class)).withSuspend(true), new Output());

        assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.WAITING_FOR_DEBUGGER);
        assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.WAITING_FOR_DEBUGGER);

        // Still held: the first debugger to attach finds it before main.
        try (Session session = Targets.attach(server.address())) {
            assertThat(Targets.stopped(session).reason()).isEqualTo(dev.sonde.core.event.StopReason.ENTRY);
            assertThat(session.state()).isEqualTo(SessionState.STOPPED);
        }
    }

    /** Whether the address answers the handshake within the time, probing again while the agent is between debuggers. */
    static boolean answersWithin(HostPort address, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        do {
            if (JdwpHandshake.probe(address, Duration.ofSeconds(2)) == JdwpHandshake.Result.ANSWERED) {
                return true;
            }
            try {
                Thread.sleep(20); // as a debugger retrying would
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        } while (System.nanoTime() < deadline);
        return false;
    }

    private static Optional<InetAddress> nonLoopbackAddress() {
        try {
            return NetworkInterface.networkInterfaces()
                    .filter(i -> {
                        try {
                            return i.isUp() && !i.isLoopback();
                        } catch (SocketException e) {
                            return false;
                        }
                    })
                    .flatMap(NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof Inet4Address && !a.isLoopbackAddress())
                    .findFirst();
        } catch (SocketException e) {
            return Optional.empty();
        }
    }
}
