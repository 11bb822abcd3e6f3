package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** A debug session's logpoints run in the Sonde agent when the target is a local JVM that takes it, else through JDWP. */
class AgentRoutingTest {

    private static final String LABEL = "Probed.java:" + Markers.line(Probed.class, "order-label");
    private static final String START = "Probed.java:" + Markers.line(Probed.class, "order-start");
    private static final Pattern LINE = Pattern.compile("id=(\\d+) total=(\\d+) item=item-(\\d+)");

    private static DebugServer probed(ServerManager servers, String... jvmFlags) {
        List<String> args = new ArrayList<>(List.of(jvmFlags));
        args.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Probed.class.getName()));
        return servers.start(JvmLaunchSpec.of(args), (category, text) -> { });
    }

    /** A logpoint, and a breakpoint in the same class that stops after 300 hits, while the logpoint prints. */
    private static Cli.Run logFor(DebugServer server, String... flags) {
        List<String> args = new ArrayList<>(List.of("attach", server.address().toString(), "--json"));
        args.addAll(List.of(flags));
        args.addAll(List.of("--exec", "log " + LABEL + " \"id={id} total={total} item={item}\"",
                "--exec", "break " + START + " after 300", "--exec", "wait 20s",
                "--exec", "breakpoints", "--exec", "delete 1", "--exec", "delete 2", "--exec", "detach"));
        return Cli.run(args.toArray(String[]::new));
    }

    private static List<JsonNode> logged(Cli.Run run) {
        // A JDWP hit that races the detach prints why its values are missing; that line is not a logpoint's text.
        return run.events("output").stream().filter(e -> e.path("category").asText().equals("log")
                && !e.path("text").asText().contains("has disconnected")).toList();
    }

    private static void assertLines(List<JsonNode> lines, String source) {
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            Matcher m = LINE.matcher(line.path("text").asText().strip());
            assertThat(m.matches()).as(line.toString()).isTrue();
            assertThat(Long.parseLong(m.group(2))).isEqualTo(3 * Long.parseLong(m.group(1)));
            assertThat(m.group(3)).isEqualTo(m.group(1));
            assertThat(line.path("breakpoint").asInt()).isEqualTo(1);
            assertThat(line.path("source").asText()).isEqualTo(source);
        });
    }

    @Test
    void aLogpointOnALocalJvmRunsInTheAgentWithTheSameIdAndLinesAsJdwp() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = probed(servers);
            Cli.Run agent = logFor(server);
            JsonNode set = agent.result("log", 0);
            assertThat(set.path("ok").asBoolean()).as(agent.toString()).isTrue();
            assertThat(set.path("breakpoint").path("id").asInt()).isEqualTo(1);
            assertThat(set.path("breakpoint").path("verified").asBoolean()).isTrue();
            assertThat(set.path("breakpoint").path("locations").get(0).path("method").asText()).isEqualTo("order");
            assertLines(logged(agent), "agent");
            assertThat(agent.result("wait", 0).path("stopped").path("breakpoints").get(0).asInt()).as(agent.toString()).isEqualTo(2);
            assertThat(agent.result("breakpoints", 0).path("breakpoints").get(0).path("hits").asLong()).isPositive();
            assertThat(agent.result("delete", 0).path("ok").asBoolean()).as(agent.toString()).isTrue();
            assertThat(agent.result("delete", 1).path("ok").asBoolean()).as(agent.toString()).isTrue();
            assertThat(agent.events("output")).noneMatch(e -> e.path("text").asText().contains("goes through JDWP"));

            Cli.Run jdwp = logFor(server, "--probes", "jdwp");
            assertThat(jdwp.result("log", 0).path("breakpoint").path("id").asInt()).isEqualTo(1);
            assertLines(logged(jdwp), "jdwp");
            assertThat(jdwp.events("output")).noneMatch(e -> e.path("text").asText().contains("goes through JDWP"));
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void aJvmThatRefusesAgentsFallsBackToJdwpSayingWhyOnce() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = probed(servers, "-XX:-EnableDynamicAgentLoading");
            List<String> args = new ArrayList<>(List.of("attach", server.address().toString(), "--json",
                    "--exec", "log " + LABEL + " \"id={id} total={total} item={item}\"",
                    "--exec", "log " + LABEL + " \"again {id}\"", "--exec", "wait 1s", "--exec", "detach"));
            Cli.Run run = Cli.run(args.toArray(String[]::new));
            assertThat(run.result("log", 0).path("ok").asBoolean()).as(run.toString()).isTrue();
            List<JsonNode> why = run.events("output").stream().filter(e -> e.path("text").asText().contains("goes through JDWP")).toList();
            assertThat(why).as(run.toString()).singleElement().satisfies(e -> {
                assertThat(e.path("category").asText()).isEqualTo("console");
                assertThat(e.path("text").asText()).startsWith("The Sonde agent cannot be used: The JVM " + server.pid() + " refused the agent");
            });
            assertLines(logged(run).stream().filter(e -> e.path("breakpoint").asInt() == 1).toList(), "jdwp");

            Cli.Run forced = Cli.run("attach", server.address().toString(), "--json", "--probes", "agent",
                    "--exec", "log " + LABEL + " \"id={id}\"", "--exec", "detach");
            JsonNode refused = forced.result("log", 0);
            assertThat(refused.path("ok").asBoolean()).as(forced.toString()).isFalse();
            assertThat(refused.path("error").asText()).contains("refused the agent").endsWith("probes.mode is agent, so the logpoint is not set"
                    + " (probes.mode auto would use JDWP).");
        }
    }
}
