package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.tools.attach.VirtualMachine;
import dev.sonde.core.session.PublishedSessions;
import dev.sonde.core.session.SessionMBeans;
import dev.sonde.core.session.SessionState;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.watch.WatchedJvm;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.fixtures.Counter;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** A real {@code sonde debug} process publishes its session; another process reads it over the Attach API and JMX. */
class SessionsOverJmxTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    @Timeout(120)
    void aSondeDebugProcessShowsItsSessionToAnotherProcess() throws Exception {
        int line = Markers.line(Counter.class, "tick-body");
        List<String> command = new ArrayList<>(List.of(Cli.java().toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(Cli.withTarget(List.of("debug", "--json"), Counter.class, "1000", "0")));
        Process sonde = new ProcessBuilder(command).start();
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> readJsonLines(sonde, lines));
        try (PrintStream console = new PrintStream(sonde.getOutputStream(), true, StandardCharsets.UTF_8)) {
            long debuggee = await(lines, result("launch")).path("pid").asLong();
            console.println("break Counter.java:" + line);
            console.println("cont");
            console.println("wait 20s");
            console.println("cont");
            console.println("wait 20s");
            await(lines, n -> lines.stream().filter(result("wait")).count() == 2);

            PublishedSessions published;
            try (JMXConnector jmx = connect(sonde.pid())) {
                MBeanServerConnection server = jmx.getMBeanServerConnection();
                ObjectName name = new ObjectName(SessionMBeans.NAME);
                published = PublishedSessions.parse((String) server.invoke(name, SessionMBeans.SESSIONS_JSON, new Object[0], new String[0]));
                assertThat(server.getAttribute(name, SessionMBeans.SESSION_COUNT)).isEqualTo(1);
            }

            assertThat(published.pid()).isEqualTo(sonde.pid());
            assertThat(published.command()).isEqualTo("debug");
            assertThat(published.sessions()).singleElement().satisfies(session -> {
                assertThat(session.state()).isEqualTo(SessionState.STOPPED);
                assertThat(session.backend()).isEqualTo("jdi");
                assertThat(session.target().pid()).isEqualTo(debuggee);
                assertThat(session.target().host()).isEqualTo("127.0.0.1");
                assertThat(session.breakpoints()).singleElement().satisfies(b -> assertThat(b.hits()).isEqualTo(2));
                // Launched held at entry: one stop there, then the breakpoint's two.
                assertThat(session.stops()).isEqualTo(3);
                assertThat(session.events("Stopped")).isEqualTo(3);
                assertThat(session.heldMillis()).isPositive();
            });

            console.println("quit");
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            sonde.descendants().forEach(ProcessHandle::destroyForcibly);
            sonde.destroyForcibly();
        }
    }

    @Test
    @Timeout(180)
    void theDashboardListsTheSessionNextToTheJvmItDebugs() throws Exception {
        int line = Markers.line(Counter.class, "tick-body");
        List<String> command = new ArrayList<>(List.of(Cli.java().toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(List.of(Cli.withTarget(List.of("debug", "--json"), Counter.class, "1000", "0")));
        WatchSettings settings = new WatchSettings(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMinutes(1),
                Duration.ofSeconds(20), List.of(), 0.8, true);
        Process sonde = new ProcessBuilder(command).start();
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        Thread.ofPlatform().daemon().start(() -> readJsonLines(sonde, lines));
        try (Dashboard dashboard = Dashboard.start(settings, "127.0.0.1", 0, false, AccessToken.random(), List.of());
             PrintStream console = new PrintStream(sonde.getOutputStream(), true, StandardCharsets.UTF_8)) {
            long debuggee = await(lines, result("launch")).path("pid").asLong();
            console.println("break Counter.java:" + line);
            console.println("cont");
            console.println("wait 20s");
            await(lines, n -> lines.stream().anyMatch(result("wait")));

            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            JsonNode session = null;
            while (session == null && System.nanoTime() < deadline) {
                for (WatchedJvm jvm : dashboard.watcher().jvms()) {
                    JsonNode published = jvm.view().sessions();
                    if (jvm.view().pid() == sonde.pid() && published != null && published.path("sessions").size() == 1
                            && published.path("sessions").get(0).path("stops").asInt() >= 2) {
                        assertThat(published.path("command").asText()).isEqualTo("debug");
                        session = published.path("sessions").get(0);
                    }
                }
                Thread.sleep(100);
            }
            assertThat(session).as("the dashboard shows the sonde process's session").isNotNull();
            assertThat(session.path("state").asText()).isEqualTo("STOPPED");
            assertThat(session.path("target").path("pid").asLong()).isEqualTo(debuggee);
            assertThat(session.path("breakpoints").get(0).path("hits").asLong()).isEqualTo(1);
            assertThat(dashboard.watcher().find("pid-" + debuggee)).as("the debugged JVM is listed beside it").isPresent();
            console.println("quit");
            assertThat(sonde.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        } finally {
            sonde.descendants().forEach(ProcessHandle::destroyForcibly);
            sonde.destroyForcibly();
        }
    }

    /** Opens JMX in a local JVM by pid, starting its management agent through the Attach API. */
    private static JMXConnector connect(long pid) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return JMXConnectorFactory.connect(new JMXServiceURL(vm.startLocalManagementAgent()));
        } finally {
            vm.detach();
        }
    }

    private static Predicate<JsonNode> result(String command) {
        return n -> n.path("type").asText().equals("result") && n.path("command").asText().equals(command);
    }

    private static JsonNode await(List<JsonNode> lines, Predicate<JsonNode> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode line : lines) {
                if (wanted.test(line)) {
                    return line;
                }
            }
            Thread.sleep(20);
        }
        return fail("sonde debug did not print the line wanted within " + WAIT + "; it printed " + lines);
    }

    private static void readJsonLines(Process process, List<JsonNode> lines) {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String text = out.readLine(); text != null; text = out.readLine()) {
                if (text.startsWith("{")) {
                    lines.add(JSON.readTree(text));
                }
            }
        } catch (IOException ended) {
            // the process ended
        }
    }
}
