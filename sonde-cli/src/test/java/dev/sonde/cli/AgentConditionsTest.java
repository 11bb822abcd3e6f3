package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.HotLoop;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditional breakpoints and hit counts on a local JVM are decided in the Sonde agent: on a line run 100,000 times a
 * round, a condition through JDWP would take most of a minute per round, and these stop within the wait.
 */
class AgentConditionsTest {

    private static final String HOT = "HotLoop.java:" + Markers.line(HotLoop.class, "hot");

    /** What the target printed, for the failure messages. */
    private final List<String> targetOutput = new java.util.concurrent.CopyOnWriteArrayList<>();

    private DebugServer hotLoop(ServerManager servers) {
        return servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), HotLoop.class.getName())),
                (category, text) -> targetOutput.add(text));
    }

    @Test
    void aConditionHoldingOnceInAHundredThousandHitsStopsThereWithTheUsersFrameOnTop() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = hotLoop(servers);
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json",
                    "--exec", "break " + HOT + " if i == 77777", "--exec", "wait 20s",
                    "--exec", "where", "--exec", "print i", "--exec", "locals",
                    "--exec", "next", "--exec", "wait 10s", "--exec", "print i", "--exec", "detach");
            assertThat(run.result("break", 0).path("breakpoint").path("verified").asBoolean()).as(run.toString()).isTrue();
            JsonNode stopped = run.result("wait", 0).path("stopped");
            assertThat(stopped.path("reason").asText()).as(run + "\ntarget: " + targetOutput).isEqualTo("breakpoint");
            assertThat(stopped.path("breakpoints").get(0).asInt()).isEqualTo(1);
            assertThat(stopped.path("location").path("line").asInt()).isEqualTo(Markers.line(HotLoop.class, "hot"));
            JsonNode top = run.result("where", 0).path("frames").get(0);
            assertThat(top.path("method").asText()).isEqualTo("spin");
            assertThat(top.path("class").asText()).isEqualTo(HotLoop.class.getName());
            assertThat(run.result("where", 0).path("frames")).noneMatch(f -> f.path("class").asText().startsWith("dev.sonde.agent"));
            assertThat(run.result("print", 0).path("value").asText()).isEqualTo("77777");
            assertThat(run.result("locals", 0).path("variables")).anySatisfy(v -> assertThat(v.path("name").asText()).isEqualTo("round"));
            assertThat(run.result("wait", 1).path("stopped").path("reason").asText()).as(run.toString()).isEqualTo("step");
            assertThat(run.events("output")).noneMatch(e -> e.path("text").asText().contains("goes through JDWP"));
            assertThat(run.result("detach", 0).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aConditionInACallThatNeverEndsGoesThroughJdwpSayingWhy() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = hotLoop(servers);
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json",
                    "--exec", "break HotLoop.java:" + Markers.line(HotLoop.class, "pause") + " if round % 5 == 0", "--exec", "wait 20s",
                    "--exec", "print round % 5", "--exec", "detach");
            assertThat(run.result("print", 0).path("value").asText()).as(run.toString()).isEqualTo("0");
            assertThat(run.events("output")).filteredOn(e -> e.path("text").asText().contains("goes through JDWP")).singleElement()
                    .satisfies(e -> assertThat(e.path("text").asText()).startsWith("Breakpoint 1 is in a call of main that is running and does not end"));
        }
    }

    @Test
    void aHitCountIsCountedInTheAgent() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = hotLoop(servers);
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json",
                    "--exec", "break " + HOT + " hits 250000", "--exec", "wait 20s", "--exec", "print i", "--exec", "breakpoints",
                    "--exec", "detach");
            JsonNode stopped = run.result("wait", 0).path("stopped");
            assertThat(stopped.path("breakpoints").get(0).asInt()).as(run.toString()).isEqualTo(1);
            // the 250,000th hit after the breakpoint was set: half-way through a round, wherever the first hit fell
            assertThat(run.result("print", 0).path("ok").asBoolean()).isTrue();
            assertThat(run.result("breakpoints", 0).path("breakpoints").get(0).path("hitCondition").asText()).isEqualTo("hits 250000");
            assertThat(run.events("output")).noneMatch(e -> e.path("text").asText().contains("goes through JDWP"));
        }
    }
}
