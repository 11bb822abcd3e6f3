package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

/**
 * Python debug servers: debugpy listening (found out without probing its port), the port rules of every debug
 * server, and stopping without orphans — debugpy's adapter included, which is no descendant of the script.
 */
class PythonDebugServerTest {

    @TempDir
    Path temp;

    @Test
    void listensWaitingForItsDebuggerAndStopsWithItsAdapter() throws Exception {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(spec(), (category, text) -> {
            });

            assertThat(server.kind()).isEqualTo(DebugServer.Kind.PYTHON);
            assertThat(server.address().host()).isEqualTo("127.0.0.1");
            assertThat(server.health()).isEqualTo(new DebugServer.Health(DebugServer.Health.Status.WAITING_FOR_DEBUGGER,
                    "debugpy listens at " + server.address() + "; the script waits for its first debugger, or one is attached"));
            long adapter = server.adapterPid();
            assertThat(adapter).isPositive().isNotEqualTo(server.pid());
            assertThat(ProcessHandle.of(adapter).orElseThrow().info().arguments().orElseThrow())
                    .contains("--port", Integer.toString(server.address().port()));
            assertThat(servers.list()).containsExactly(server);

            server.stop();

            assertThat(server.isAlive()).isFalse();
            assertThat(ProcessHandle.of(adapter).map(ProcessHandle::isAlive).orElse(false)).as("adapter %d", adapter).isFalse();
            assertThat(server.exit().get(5, TimeUnit.SECONDS)).isNotZero();
            assertThat(server.health().status()).isEqualTo(DebugServer.Health.Status.EXITED);
        }
    }

    @Test
    void theManagerStopsEveryPythonServerItStarted() {
        long script;
        long adapter;
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = servers.start(spec().withBind("127.0.0.1", BindPolicy.freeLoopbackPort(), false), (category, text) -> {
            });
            script = server.pid();
            adapter = server.adapterPid();
        }
        assertThat(ProcessHandle.of(script).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        assertThat(ProcessHandle.of(adapter).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }

    @Test
    void theRulesOfEveryDebugPortHold() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SondeException busy = catchThrowableOfType(SondeException.class,
                    () -> DebugServer.start(spec().withBind("127.0.0.1", taken.getLocalPort(), false), (category, text) -> {
                    }));
            assertThat(busy.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(busy.getMessage()).isEqualTo("Port " + taken.getLocalPort()
                    + " on 127.0.0.1 is already in use; choose another with --port, or --port 0 to pick a free one.");
        }
        assertThat(catchThrowableOfType(SondeException.class, () -> DebugServer.start(spec().withBind("0.0.0.0", 0, false),
                (category, text) -> {
                })).getMessage()).isEqualTo("Refusing to bind the debug port to 0.0.0.0: anyone who can reach a debug port can run"
                + " any code in the target; pass --allow-remote if you mean it.");
    }

    private PythonLaunchSpec spec() {
        try {
            Path script = Files.writeString(temp.resolve("hello.py"), "print('hello')\n");
            return PythonLaunchSpec.of(script, List.of()).withPython(python());
        } catch (IOException e) {
            return fail("cannot write the test script", e);
        }
    }

    /** A Python with debugpy; the test fails, saying what to install, when there is none. */
    static Path python() {
        try {
            return PythonFinder.find(null).executable();
        } catch (SondeException noDebugpy) {
            return fail("No Python with debugpy found for the Python tests (tried python3 on the PATH and /usr/bin/python3);"
                    + " install it with `apt-get install python3-debugpy`, as .ci/run does.");
        }
    }
}
