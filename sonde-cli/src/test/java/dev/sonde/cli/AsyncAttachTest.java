package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.fixtures.AsyncAfterAttach;
import dev.sonde.fixtures.Markers;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sonde attach} to a JVM of this machine started with JDWP but without the Sonde agent loads the agent capturing
 * async stacks, says so once, and a stage scheduled after that shows its hand-off; a JVM that refuses the Attach API
 * gets one sentence and plain stacks.
 */
class AsyncAttachTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static String at(String mark) {
        return "AsyncAfterAttach.java:" + Markers.line(AsyncAfterAttach.class, mark);
    }

    @Test
    @Timeout(180)
    void attachLoadsTheAgentAndWhereShowsAHandOffScheduledAfterIt() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = AsyncAfterAttachTarget.start(servers, List.of(), "after-agent");
            Cli.Run run = Cli.run("attach", server.address().toString(),
                    "--exec", "break " + at("quoted"), "--exec", "wait 60s", "--exec", "where", "--exec", "detach");

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.out()).as(run.toString())
                    .containsOnlyOnce("async stacks: capturing hand-offs from now on (the Sonde agent loaded into " + server.pid() + ")")
                    .contains("— scheduled by supplyAsync on \"main\", ")
                    .contains("AsyncAfterAttach.quote (" + at("schedule-quote") + ")")
                    // said before the stop whose stack it explains, though that stop may hold the agent's own answer
                    .containsSubsequence("async stacks: capturing hand-offs from now on", "Breakpoint 1 hit");
            assertThat(server.isAlive()).as("detaching leaves the target running").isTrue();

            // a second session finds the agent capturing already: a no-op, said once
            Cli.Run again = Cli.run("attach", server.address().toString(), "--json",
                    "--exec", "break " + at("quoted"), "--exec", "wait 60s", "--exec", "where", "--exec", "detach");
            assertThat(again.exit()).as(again.toString()).isZero();
            JsonNode async = again.result("where", 0).path("async");
            assertThat(async.size()).as(again.toString()).isEqualTo(1);
            assertThat(async.get(0).path("kind").asText()).isEqualTo("supplyAsync");
        }
    }

    @Test
    @Timeout(180)
    void aTargetHeldBeforeMainGetsTheAgentOnceItRuns() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = AsyncAfterAttachTarget.start(servers, AsyncAfterAttachTarget.spec(List.of(), "after-agent").withSuspend(true));
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json",
                    "--exec", "break " + at("quoted"), "--exec", "cont", "--exec", "wait 60s", "--exec", "where", "--exec", "detach");

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.result("attach", 0).path("held").asBoolean()).isTrue();
            assertThat(run.events("output")).as(run.toString())
                    .anySatisfy(output -> assertThat(output.path("text").asText()).startsWith("async stacks: capturing hand-offs from now on"));
            JsonNode async = run.result("where", 0).path("async");
            assertThat(async.size()).as(run.toString()).isEqualTo(1);
            assertThat(async.get(0).path("kind").asText()).isEqualTo("supplyAsync");
        }
    }

    @Test
    @Timeout(120)
    void aTargetReachedThroughANonLoopbackAddressIsTakenForRemote() throws Exception {
        java.util.Optional<java.net.InetAddress> outward = nonLoopbackAddress();
        org.junit.jupiter.api.Assumptions.assumeTrue(outward.isPresent(), "this machine has no non-loopback IPv4 address");
        String host = outward.get().getHostAddress();
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = AsyncAfterAttachTarget.start(servers, AsyncAfterAttachTarget.spec(List.of()).withBind(host, 0, true));
            CompletableFuture<String> said = new CompletableFuture<>();
            try (Session session = Session.connect("remote", JdiConnector.attach(server.address(), JdiOptions.DEFAULT.withAsyncAttach(true)),
                    SessionOptions.DEFAULT, WAIT, List.of(AsyncAfterAttachTarget.asyncStacksSentence(said)))) {
                assertThat(said.get(60, TimeUnit.SECONDS)).isEqualTo("async stacks: off, since the target at " + server.address()
                        + " is not reached through loopback, so it is taken for another machine's, and the Sonde agent loads only into"
                        + " JVMs of this machine and your user; `where` shows what JDWP alone gives." + System.lineSeparator());
                assertThat(session.threads()).isNotEmpty();
            }
        }
    }

    private static java.util.Optional<java.net.InetAddress> nonLoopbackAddress() {
        try {
            return java.net.NetworkInterface.networkInterfaces()
                    .filter(i -> {
                        try {
                            return i.isUp() && !i.isLoopback();
                        } catch (java.net.SocketException e) {
                            return false;
                        }
                    })
                    .flatMap(java.net.NetworkInterface::inetAddresses)
                    .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress())
                    .findFirst();
        } catch (java.net.SocketException e) {
            return java.util.Optional.empty();
        }
    }

    @Test
    @Timeout(120)
    void noAsyncStacksLeavesTheTargetWithoutTheAgent() {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = AsyncAfterAttachTarget.start(servers, List.of());
            Cli.Run run = Cli.run("attach", server.address().toString(), "--json", "--no-async-stacks",
                    "--exec", "break " + at("quoted"), "--exec", "wait 60s", "--exec", "where", "--exec", "detach");

            assertThat(run.exit()).as(run.toString()).isZero();
            assertThat(run.result("where", 0).path("async").size()).isZero();
            assertThat(run.out()).doesNotContain("async stacks:");
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "-XX:+DisableAttachMechanism | refused the Attach API (",
            "-XX:-EnableDynamicAgentLoading | refused to load the Sonde agent ("})
    @Timeout(120)
    void aJvmThatRefusesTheAgentGetsOneSentenceAndPlainStacks(String refusing, String why) throws Exception {
        try (ServerManager servers = new ServerManager()) {
            DebugServer server = AsyncAfterAttachTarget.start(servers, List.of(refusing));
            CompletableFuture<String> said = new CompletableFuture<>();
            try (Session session = Session.connect("refused", JdiConnector.attach(server.address(), JdiOptions.DEFAULT.withAsyncAttach(true)),
                    SessionOptions.DEFAULT, WAIT, List.of(AsyncAfterAttachTarget.asyncStacksSentence(said)))) {
                String sentence = said.get(60, TimeUnit.SECONDS);
                assertThat(sentence).startsWith("async stacks: off, since the JVM " + server.pid() + " " + why)
                        .contains(refusing)
                        .endsWith("; `where` shows what JDWP alone gives." + System.lineSeparator());
                assertThat(sentence.strip()).doesNotContain("\n");

                session.addBreakpoint(at("quoted"));
                WaitOutcome outcome = session.awaitStop(WAIT);
                assertThat(outcome).isInstanceOf(WaitOutcome.Stopped.class);
                long thread = ((WaitOutcome.Stopped) outcome).event().thread().id();
                List<AsyncSegment> segments = session.asyncStack(thread);
                assertThat(segments).isEmpty();
                assertThat(session.stackTrace(thread)).isNotEmpty();
            }
            assertThat(server.isAlive()).isTrue();
        }
    }
}
