package dev.sonde.dap.client;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.sonde.dap.client.PythonScriptTest.byName;
import static dev.sonde.dap.client.PythonScriptTest.stopped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Attaching to a debugpy that listens, leaving it, and the ways an attach or a session can fail. */
class AttachTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String TICKER = "ticker.py";

    @Test
    void attachBreakPauseAndDetachLeavesTheScriptRunningToItsEnd() throws Exception {
        Recorder events = new Recorder();
        StringBuffer output = new StringBuffer();
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(PythonScripts.spec(TICKER, "30"), (category, text) -> output.append(text));
            assertThat(server.kind()).isEqualTo(DebugServer.Kind.PYTHON);
            assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.WAITING_FOR_DEBUGGER);
            long adapter = server.adapterPid();

            try (Session session = Session.connect("ticker", DapConnector.attach(server.address(), DapClientOptions.DEFAULT),
                    SessionOptions.DEFAULT, WAIT, List.of(events))) {
                assertThat(session.target().orElseThrow().description()).startsWith("debugpy ");
                assertThat(session.target().orElseThrow().pid()).isEqualTo(-1);
                assertThat(session.currentStop().orElseThrow().reason()).isEqualTo(StopReason.ENTRY);
                BreakpointSpec tick = new BreakpointSpec.FileLine(PythonScripts.path(TICKER).toString(), PythonScripts.line(TICKER, "label = \"tick"));
                Breakpoint fifth = session.addBreakpoint(tick, BreakpointOptions.DEFAULT.withCondition("n == 5"));

                session.resume();
                Event.Stopped hit = stopped(session);
                assertThat(hit.breakpointIds()).containsExactly(fifth.id());
                assertThat(byName(session.variables(hit.thread().id(), 0)).get("n").render()).isEqualTo("5");

                session.removeBreakpoint(fifth.id());
                session.resume();
                session.pause();
                Event.Stopped paused = stopped(session);
                assertThat(paused.reason()).isEqualTo(StopReason.PAUSE);
                assertThat(paused.location().file()).isEqualTo(TICKER);

                session.detach();
                assertThat(events.await(Event.Terminated.class, t -> true, WAIT).reason()).isEqualTo("detached; the target keeps running");
            }

            assertThat(server.exit().get(15, TimeUnit.SECONDS)).isZero();
            server.outputDrained().get(5, TimeUnit.SECONDS);
            assertThat(output.toString()).contains("ticker done");
            awaitGone(adapter);
        }
        assertNoClientThreadsLeft();
    }

    @Test
    void nothingListeningFailsInOneSentenceAfterRetrying() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        HostPort address = new HostPort("127.0.0.1", port);
        SondeException refused = catchThrowableOfType(SondeException.class, () -> Session.connect("nothing",
                DapConnector.attach(address, DapClientOptions.DEFAULT.withAttachTimeout(Duration.ofSeconds(1))), SessionOptions.DEFAULT, WAIT));
        assertThat(refused.kind()).isEqualTo(ErrorKind.CONNECTION);
        assertThat(refused.getMessage()).isEqualTo("Nothing accepted a debugger at " + address + " within 1 s; start the script with"
                + " `python3 -m debugpy --listen " + address + " --wait-for-client app.py` (or use sonde launch --python), and check the address.");
    }

    @Test
    void aPortThatIsNoDapServerIsRefused() throws IOException {
        try (ServerSocket notDap = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket client = notDap.accept()) {
                    client.getOutputStream().write("SSH-2.0-OpenSSH_9.2\r\n".getBytes());
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            HostPort address = new HostPort("127.0.0.1", notDap.getLocalPort());
            SondeException refused = catchThrowableOfType(SondeException.class, () -> Session.connect("not dap",
                    DapConnector.attach(address, DapClientOptions.DEFAULT.withAttachTimeout(Duration.ofSeconds(2))), SessionOptions.DEFAULT, WAIT));
            assertThat(refused.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(refused.getMessage()).isEqualTo(address + " did not answer as a DAP server; check the port"
                    + " (a JVM's debug port takes `sonde attach` without --dap).");
        }
    }

    @Test
    void aServerSendingABodyThatIsNotJsonIsRefusedInOneSentenceWithNothingLogged() throws IOException {
        List<java.util.logging.LogRecord> logged = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler collect = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord record) {
                logged.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger lsp4j = java.util.logging.Logger.getLogger("org.eclipse.lsp4j");
        lsp4j.addHandler(collect);
        try (ServerSocket notJson = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket client = notJson.accept()) {
                    byte[] body = "<html>not json</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    client.getOutputStream().write(("Content-Length: " + body.length + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    client.getOutputStream().write(body);
                    client.getInputStream().readAllBytes();
                } catch (IOException ignored) {
                    // the test is over
                }
            });
            HostPort address = new HostPort("127.0.0.1", notJson.getLocalPort());
            long started = System.nanoTime();
            SondeException refused = catchThrowableOfType(SondeException.class, () -> Session.connect("not json",
                    DapConnector.attach(address, DapClientOptions.DEFAULT), SessionOptions.DEFAULT, WAIT));
            assertThat(refused.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(refused.getMessage()).isEqualTo(address + " did not answer as a DAP server; check the port"
                    + " (a JVM's debug port takes `sonde attach` without --dap).");
            Duration patience = DapClientOptions.DEFAULT.requestTimeout().compareTo(DapClientOptions.DEFAULT.attachTimeout()) < 0
                    ? DapClientOptions.DEFAULT.requestTimeout() : DapClientOptions.DEFAULT.attachTimeout();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("refused when the connection closes, not when waiting ends")
                    .isLessThan(patience);
            assertThat(logged).as("lsp4j logged nothing (no stack trace)").isEmpty();
        } finally {
            lsp4j.removeHandler(collect);
        }
    }

    @Test
    void aDapServerThatDiesMidSessionEndsTheSession() throws Exception {
        Recorder events = new Recorder();
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(PythonScripts.spec(TICKER), (category, text) -> {
            });
            try (Session session = Session.connect("ticker", DapConnector.attach(server.address(), DapClientOptions.DEFAULT),
                    SessionOptions.DEFAULT, WAIT, List.of(events))) {
                session.resume();
                ProcessHandle.of(server.adapterPid()).orElseThrow().destroyForcibly();

                Event.Terminated end = events.await(Event.Terminated.class, t -> true, WAIT);
                assertThat(end.reason()).isEqualTo("the connection to the target was lost");
                assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
                SondeException gone = catchThrowableOfType(SondeException.class, session::threads);
                assertThat(gone.kind()).isEqualTo(ErrorKind.TARGET_GONE);
                assertThat(gone.getMessage()).isEqualTo("Session " + session.id()
                        + " has ended (the connection to the target was lost); attach or launch again to continue.");
            }
            assertThat(server.isAlive()).as("the script outlives its debugger").isTrue();
        }
        assertNoClientThreadsLeft();
    }

    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("process %d still alive", pid).isFalse();
    }

    static void assertNoClientThreadsLeft() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<String> left;
        do {
            Thread.sleep(20);
            left = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(name -> name.startsWith("sonde-dap-client-")).toList();
        } while (!left.isEmpty() && System.nanoTime() < deadline);
        assertThat(left).as("DAP client threads still running").isEmpty();
    }
}
