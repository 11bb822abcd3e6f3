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

import static org.assertj.core.api.Assertions.assertThat;

/** A debug session's snapshots are taken by the Sonde agent on a local JVM, with the breakpoint's id, else through JDWP. */
class AgentSnapshotRoutingTest {

    private static final String LABEL = "Probed.java:" + Markers.line(Probed.class, "order-label");
    private static final String START = "Probed.java:" + Markers.line(Probed.class, "order-start");

    private static DebugServer probed(ServerManager servers) {
        return servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(),
                Probed.class.getName())), (category, text) -> { });
    }

    /** Three snapshots, then a stop after 300 hits of the same method, by which time they have been taken. */
    private static Cli.Run snapFor(DebugServer server, String... flags) {
        List<String> args = new ArrayList<>(List.of("attach", server.address().toString(), "--json"));
        args.addAll(List.of(flags));
        args.addAll(List.of("--exec", "snap " + LABEL + " max 3 watch total", "--exec", "break " + START + " after 300",
                "--exec", "wait 20s", "--exec", "delete 2", "--exec", "detach"));
        return Cli.run(args.toArray(String[]::new));
    }

    private static void assertSnapshots(Cli.Run run, String source) {
        List<JsonNode> snaps = run.events("snapshot");
        assertThat(snaps).as(run.toString()).hasSize(3).allSatisfy(snap -> {
            assertThat(snap.path("breakpoint").asInt()).isEqualTo(1);
            assertThat(snap.path("source").asText()).isEqualTo(source);
            assertThat(snap.path("frames").get(0).path("method").asText()).isEqualTo("order");
            assertThat(snap.path("frames").get(0).path("line").asInt()).isEqualTo(Markers.line(Probed.class, "order-label"));
            JsonNode top = snap.path("locals").get(0).path("variables");
            JsonNode id = variable(top, "id");
            JsonNode total = variable(top, "total");
            assertThat(id.path("valueType").asText()).isEqualTo("int");
            assertThat(id.path("kind").asText()).isEqualTo("argument");
            assertThat(total.path("value").asLong()).isEqualTo(3 * id.path("value").asLong());
            assertThat(variable(top, "item").path("value").asText()).isEqualTo("\"item-" + id.path("value").asText() + "\"");
            assertThat(snap.path("watches").get(0).path("expression").asText()).isEqualTo("total");
            assertThat(snap.path("watches").get(0).path("value").asLong()).isEqualTo(total.path("value").asLong());
            assertThat(snap.path("thread").path("name").asText()).isEqualTo("main");
        });
        assertThat(snaps.stream().map(s -> s.path("sequence").asInt()).toList()).containsExactly(1, 2, 3);
        assertThat(run.events("breakpointChanged")).as(run.toString()).anyMatch(e -> e.path("change").asText().equals("removed")
                && e.path("breakpoint").path("id").asInt() == 1);
        assertThat(run.result("wait", 0).path("stopped").path("breakpoints").get(0).asInt()).as(run.toString()).isEqualTo(2);
    }

    private static JsonNode variable(JsonNode variables, String name) {
        for (JsonNode variable : variables) {
            if (variable.path("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no variable " + name + " in " + variables);
    }

    @Test
    void aSnapshotOnALocalJvmIsTakenByTheAgentWithTheBreakpointsIdAndJdwpsShape() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = probed(servers);
            Cli.Run agent = snapFor(server);
            JsonNode set = agent.result("snap", 0);
            assertThat(set.path("ok").asBoolean()).as(agent.toString()).isTrue();
            assertThat(set.path("breakpoint").path("id").asInt()).isEqualTo(1);
            assertThat(set.path("breakpoint").path("verified").asBoolean()).isTrue();
            assertSnapshots(agent, "agent");
            assertThat(agent.events("output")).noneMatch(e -> e.path("text").asText().contains("goes through JDWP"));

            Cli.Run jdwp = snapFor(server, "--probes", "jdwp");
            assertThat(jdwp.result("snap", 0).path("breakpoint").path("id").asInt()).as(jdwp.toString()).isEqualTo(1);
            assertSnapshots(jdwp, "jdwp");
            assertThat(server.isAlive()).isTrue();
        }
    }

    @Test
    void aSnapshotTheAgentRefusesGoesThroughJdwpWithOneSentence() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = probed(servers);
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json", "--exec", "snap " + LABEL + " max 1 watch total * 2",
                    "--exec", "break " + START + " after 300", "--exec", "wait 20s", "--exec", "delete 2", "--exec", "detach");
            assertThat(run.result("snap", 0).path("ok").asBoolean()).as(run.toString()).isTrue();
            assertThat(run.events("snapshot")).as(run.toString()).hasSize(1)
                    .allSatisfy(snap -> assertThat(snap.path("source").asText()).isEqualTo("jdwp"));
            // Breakpoint 2 goes to the agent: the check for a running call does not take main, held in order() by
            // breakpoint 1's JDWP snapshot, for a call that does not end.
            assertThat(run.events("output")).as(run.toString()).filteredOn(e -> e.path("text").asText().contains("goes through JDWP"))
                    .extracting(e -> e.path("text").asText().strip())
                    .singleElement().asString().startsWith("The Sonde agent refused breakpoint 1 (The watch 'total * 2'").endsWith("so it goes through JDWP.");
        }
    }
}
