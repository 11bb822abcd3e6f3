package dev.sonde.dap.server;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Echo;
import dev.sonde.fixtures.Exiter;
import org.eclipse.lsp4j.debug.DisconnectArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminateArguments;
import org.eclipse.lsp4j.debug.Thread;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.sonde.dap.server.DapClient.error;
import static dev.sonde.dap.server.DapClient.get;
import static org.assertj.core.api.Assertions.assertThat;

/** launch, attach, configurationDone, terminate and disconnect, and what happens to the program at the end. */
class LaunchAndAttachTest {

    private static Adapter adapter;

    @BeforeAll
    static void listen() {
        adapter = new Adapter();
    }

    @AfterAll
    static void stop() {
        adapter.close();
        TestTargets.SERVERS.stopAll();
    }

    @Test
    void launchStartsTheProgramAsConfigured(@TempDir Path directory) {
        Map<String, Object> launch = Fixtures.launch(Echo.class);
        launch.put("args", "one 'two words'");
        launch.put("vmArgs", List.of("-Xshare:auto", "-Dsonde.echo=from-vm-args"));
        launch.put("env", Map.of("SONDE_ECHO", "from-env"));
        launch.put("cwd", directory.toString());
        try (DapClient client = adapter.connect()) {
            client.launch(launch);
            client.configurationDone();
            String out = client.awaitOutput("stdout", "cwd=");
            assertThat(out).contains("args=[one, two words]", "property=from-vm-args", "environment=from-env",
                    "cwd=" + directory.toAbsolutePath());
            assertThat(client.next("exited", ExitedEventArguments.class).getExitCode()).isZero();
            client.next("terminated", Object.class);
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    @Test
    void theInitializedEventFollowsTheLaunchResponse() {
        Gson gson = new Gson();
        try (RawDap raw = new RawDap(adapter.listener().address())) {
            raw.send("{\"seq\":1,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":{\"adapterID\":\"sonde\"}}");
            assertThat(raw.response().get("success").getAsBoolean()).isTrue();
            JsonObject launch = new JsonObject();
            launch.addProperty("seq", 2);
            launch.addProperty("type", "request");
            launch.addProperty("command", "launch");
            launch.add("arguments", gson.toJsonTree(Fixtures.launch(Counter.class)));
            raw.send(launch.toString());
            List<String> order = new ArrayList<>();
            while (!order.contains("event initialized")) {
                JsonObject message = raw.receive();
                String type = message.get("type").getAsString();
                order.add(type + " " + (type.equals("event") ? message.get("event").getAsString() : message.get("command").getAsString()));
            }
            assertThat(order).filteredOn(m -> m.equals("response launch") || m.equals("event initialized"))
                    .containsExactly("response launch", "event initialized");
            raw.send("{\"seq\":3,\"type\":\"request\",\"command\":\"disconnect\"}");
            assertThat(raw.response().get("success").getAsBoolean()).isTrue();
        }
        Processes.awaitNone(Counter.class);
    }

    @Test
    void stopOnEntryShowsTheProgramHeldBeforeMain() {
        Map<String, Object> launch = Fixtures.launch(Counter.class);
        launch.put("stopOnEntry", true);
        try (DapClient client = adapter.connect()) {
            client.launch(launch);
            client.configurationDone();
            StoppedEventArguments entry = client.stopped();
            assertThat(entry.getReason()).isEqualTo("entry");
            assertThat(entry.getAllThreadsStopped()).isTrue();
            Thread[] threads = get(client.server().threads()).getThreads();
            assertThat(Arrays.stream(threads).filter(t -> t.getId() == entry.getThreadId()).map(Thread::getName)).containsExactly("main");
            org.eclipse.lsp4j.debug.ContinueArguments resume = new org.eclipse.lsp4j.debug.ContinueArguments();
            resume.setThreadId(entry.getThreadId());
            get(client.server().continue_(resume));
            assertThat(client.next("continued", org.eclipse.lsp4j.debug.ContinuedEventArguments.class).getAllThreadsContinued()).isTrue();
            get(client.server().disconnect(new DisconnectArguments()));
        }
        Processes.awaitNone(Counter.class);
    }

    @Test
    void exitedCarriesTheExitCodeAndBothOutputStreamsArrive() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Exiter.class, "50", "7"));
            client.configurationDone();
            assertThat(client.next("exited", ExitedEventArguments.class).getExitCode()).isEqualTo(7);
            client.next("terminated", Object.class);
            assertThat(client.output("stdout")).contains("exiter started", "exiter leaving with 7");
            assertThat(client.output("stderr")).contains("exiter stderr line");
        }
    }

    @Test
    void terminateEndsTheProgram() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Counter.class));
            client.configurationDone();
            get(client.server().terminate(new TerminateArguments()));
            client.next("terminated", Object.class);
            Processes.awaitNone(Counter.class);
            get(client.server().disconnect(new DisconnectArguments()));
        }
    }

    @Test
    void aClientThatVanishesTakesTheProgramItLaunchedAlong() {
        DapClient client = adapter.connect();
        client.launch(Fixtures.launch(Counter.class));
        client.configurationDone();
        assertThat(Processes.running(Counter.class)).hasSize(1);
        client.vanish();
        Processes.awaitNone(Counter.class);
    }

    @Test
    void disconnectCanLeaveALaunchedProgramRunning() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Counter.class));
            client.configurationDone();
            DisconnectArguments leaveItRunning = new DisconnectArguments();
            leaveItRunning.setTerminateDebuggee(false);
            get(client.server().disconnect(leaveItRunning));
        }
        List<ProcessHandle> counters = Processes.running(Counter.class);
        assertThat(counters).hasSize(1);
        counters.forEach(ProcessHandle::destroy);
        Processes.awaitNone(Counter.class);
    }

    @Test
    void attachDetachesOnDisconnectUnlessToldToTerminate() {
        DebugServer target = TestTargets.SERVERS.start(JvmLaunchSpec.of(Fixtures.javaArgs(Counter.class)), (category, text) -> { });
        Map<String, Object> attach = Map.of("type", "sonde", "request", "attach", "hostName", "127.0.0.1",
                "port", target.address().port(), "sourcePaths", List.of(Fixtures.sourceRoot().toString()));
        try (DapClient client = adapter.connect()) {
            client.initialize();
            get(client.server().attach(attach));
            client.next("initialized", Object.class);
            client.configurationDone();
            assertThat(Arrays.stream(get(client.server().threads()).getThreads()).map(Thread::getName)).contains("main");
            get(client.server().disconnect(new DisconnectArguments()));
        }
        assertThat(target.isAlive()).as("detached, the target runs on").isTrue();
        try (DapClient client = adapter.connect()) {
            client.initialize();
            get(client.server().attach(attach));
            DisconnectArguments terminate = new DisconnectArguments();
            terminate.setTerminateDebuggee(true);
            get(client.server().disconnect(terminate));
        }
        Processes.awaitNone(Counter.class);
    }

    @Test
    void connectionFailuresAreOneSentence() {
        try (DapClient client = adapter.connect()) {
            client.initialize();
            int nobody = dev.sonde.core.launch.BindPolicy.freeLoopbackPort();
            String refused = error(client.server().attach(Map.of("port", nobody, "timeout", 300)));
            assertThat(refused).contains("127.0.0.1:" + nobody).endsWith(".").doesNotContain("\n");

            Map<String, Object> launch = Fixtures.launch(Counter.class);
            launch.put("javaExec", "/nonexistent/bin/java");
            assertThat(error(client.server().launch(launch))).contains("/nonexistent/bin/java").endsWith(".");

            launch.remove("javaExec");
            launch.remove("mainClass");
            assertThat(error(client.server().launch(launch))).isEqualTo(
                    "The 'launch' request needs the 'mainClass' argument; add it to the debug configuration.");
        }
    }

    @Test
    void aProgramTheJvmCannotStartFailsTheLaunchWithTheJvmsComplaint() {
        try (DapClient client = adapter.connect()) {
            client.initialize();
            Map<String, Object> noSuchClass = Fixtures.launch(Counter.class);
            noSuchClass.put("mainClass", "dev.sonde.fixtures.NoSuchMain");
            assertThat(error(client.server().launch(noSuchClass))).startsWith(
                    "The JVM would stop with \"Error: Could not find or load main class dev.sonde.fixtures.NoSuchMain\": no"
                            + " dev/sonde/fixtures/NoSuchMain.class is in the class path ").endsWith(
                    "; fix 'mainClass' or 'classPaths' in the debug configuration.");

            Map<String, Object> noSuchPath = Fixtures.launch(Counter.class);
            noSuchPath.put("classPaths", List.of("/nonexistent/classes"));
            assertThat(error(client.server().launch(noSuchPath))).startsWith(
                    "The class path entry '/nonexistent/classes' does not exist; fix 'classPaths' in the debug configuration");

            Map<String, Object> badOption = Fixtures.launch(Counter.class);
            badOption.put("vmArgs", List.of("-XX:+NoSuchSondeOption"));
            assertThat(error(client.server().launch(badOption))).contains("NoSuchSondeOption").endsWith(".");

            // The connection serves on: a good launch still works.
            client.launch(Fixtures.launch(Counter.class, "1000", "1"));
            get(client.server().disconnect(new DisconnectArguments()));
        }
        Processes.awaitNone(Counter.class);
    }

    @Test
    void oneProgramPerConnection() {
        try (DapClient client = adapter.connect()) {
            client.launch(Fixtures.launch(Counter.class));
            assertThat(error(client.server().launch(Fixtures.launch(Counter.class))))
                    .startsWith("This connection already debugs dev.sonde.fixtures.Counter; open another connection");
            get(client.server().disconnect(new DisconnectArguments()));
        }
        Processes.awaitNone(Counter.class);
    }
}
