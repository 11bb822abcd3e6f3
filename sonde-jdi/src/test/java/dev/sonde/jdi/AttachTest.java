package dev.sonde.jdi;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.BindPolicy;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.Sleeper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static dev.sonde.jdi.Targets.WAIT;
import static dev.sonde.jdi.Targets.failure;
import static dev.sonde.jdi.Targets.javaArgs;
import static org.assertj.core.api.Assertions.assertThat;

/** Attaching to a target by host:port: to a live agent, to one not up yet, to nothing, and to something else. */
class AttachTest {

    private final ServerManager servers = new ServerManager();

    @AfterEach
    void stopEverything() {
        servers.close();
    }

    private static JdiOptions attachTimeout(Duration timeout) {
        return JdiOptions.DEFAULT.withAttachTimeout(timeout);
    }

    @Test
    void attachesToARunningServerWithoutStoppingIt() {
        DebugServer server = Targets.serve(servers, new Output(), Sleeper.class);

        try (Session session = Targets.attach(server.address())) {
            assertThat(session.state()).isEqualTo(SessionState.RUNNING);
            assertThat(session.awaitStop(Duration.ZERO)).isInstanceOf(WaitOutcome.TimedOut.class);
            assertThat(session.target()).hasValueSatisfying(target -> {
                assertThat(target.kind()).isEqualTo("jvm");
                assertThat(target.address()).isEqualTo(server.address().toString());
                assertThat(target.description()).isNotBlank();
            });
            assertThat(session.threads()).extracting(ThreadInfo::name).contains("main");
        }
        // Closing an attached session detaches: the target lives on.
        assertThat(server.isAlive()).isTrue();
        assertThat(DebugServerTest.answersWithin(server.address(), WAIT)).isTrue();
    }

    @Test
    void retriesWhileTheTargetIsNotUpYet() throws Exception {
        int port = BindPolicy.freeLoopbackPort();
        HostPort address = new HostPort("127.0.0.1", port);
        Session session = Session.open("early", JdiConnector.attach(address, attachTimeout(WAIT)), SessionOptions.DEFAULT);
        try {
            assertThat(session.state()).isEqualTo(SessionState.CONNECTING);
            // The scenario itself: nothing listens for a while, so the first attempts are refused.
            Thread.sleep(1_000);
            assertThat(session.state()).isEqualTo(SessionState.CONNECTING);

            DebugServer server = servers.start(JvmLaunchSpec.of(javaArgs(Sleeper.class)).withBind("127.0.0.1", port, false),
                    new Output());

            session.connected().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(session.state()).isEqualTo(SessionState.RUNNING);
            assertThat(session.target().orElseThrow().address()).isEqualTo("127.0.0.1:" + port);
            assertThat(session.threads()).isNotEmpty();
            assertThat(server.address().port()).isEqualTo(port);
        } finally {
            session.close();
        }
    }

    @Test
    void nothingListeningGivesAClearConnectionError() {
        int port = BindPolicy.freeLoopbackPort();
        HostPort address = new HostPort("127.0.0.1", port);

        SondeException error = failure(() -> Session.connect("nobody", JdiConnector.attach(address, attachTimeout(Duration.ofSeconds(1))),
                SessionOptions.DEFAULT, WAIT));

        assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
        assertThat(error.getMessage()).isEqualTo("Nothing accepted a debugger at 127.0.0.1:" + port + " within 1 s; start the target"
                + " with -agentlib:jdwp=transport=dt_socket,server=y,address=" + port + " (or use sonde launch),"
                + " and check that no other debugger is attached.");
    }

    @Test
    void aFailedAttachEndsTheSessionWithTheReason() throws Exception {
        int port = BindPolicy.freeLoopbackPort();
        Session session = Session.open("nobody", JdiConnector.attach(new HostPort("127.0.0.1", port),
                attachTimeout(Duration.ofMillis(500))), SessionOptions.DEFAULT);

        Event.Terminated end = session.terminated().get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(end.reason()).startsWith("Nothing accepted a debugger at 127.0.0.1:" + port);
        assertThat(end.exitCode()).isNull();
        assertThat(session.state()).isEqualTo(SessionState.TERMINATED);
        assertThat(session.awaitStop(Duration.ZERO)).isEqualTo(new WaitOutcome.Terminated(end));
        SondeException later = failure(session::threads);
        assertThat(later.kind()).isEqualTo(ErrorKind.TARGET_GONE);
        assertThat(later.getMessage()).isEqualTo("Session " + session.id() + " has ended (" + end.reason()
                + "); attach or launch again to continue.");
    }

    @Test
    void aSecondDebuggerIsToldTheTargetIsTaken() {
        DebugServer server = Targets.serve(servers, new Output(), Sleeper.class);
        try (Session first = Targets.attach(server.address())) {
            SondeException error = failure(() -> Session.connect("second", JdiConnector.attach(server.address(),
                    attachTimeout(Duration.ofSeconds(1))), SessionOptions.DEFAULT, WAIT));

            assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(error.getMessage()).contains("check that no other debugger is attached");
            assertThat(first.threads()).isNotEmpty();
        }
    }

    @Test
    void aPortThatIsNotJdwpIsNamedAsSuch() throws Exception {
        try (ServerSocket web = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().start(() -> answerGarbage(web));
            HostPort address = new HostPort("127.0.0.1", web.getLocalPort());

            SondeException error = failure(() -> Session.connect("web", JdiConnector.attach(address, attachTimeout(WAIT)),
                    SessionOptions.DEFAULT, WAIT));

            assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(error.getMessage()).isEqualTo(address + " answered, but not as a JDWP debug agent; check the port number.");
        }
    }

    @Test
    void aSilentListenerIsNotTakenForAnAgent() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            HostPort address = new HostPort("127.0.0.1", silent.getLocalPort());

            SondeException error = failure(() -> Session.connect("silent", JdiConnector.attach(address, attachTimeout(Duration.ofSeconds(1))),
                    SessionOptions.DEFAULT, WAIT));

            assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(error.getMessage()).isEqualTo(address + " answered, but not as a JDWP debug agent; check the port number.");
        }
    }

    @Test
    void anUnknownHostIsReportedAtOnce() {
        HostPort nowhere = new HostPort("no-such-host.invalid", 5005);

        SondeException error = failure(() -> Session.connect("nowhere", JdiConnector.attach(nowhere, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT, WAIT));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).isEqualTo("Cannot resolve host 'no-such-host.invalid'; check the name or use an IP address.");
    }

    private static void answerGarbage(ServerSocket server) {
        try {
            while (true) {
                try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
                    out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            }
        } catch (IOException closed) {
            // the test is over
        }
    }
}
