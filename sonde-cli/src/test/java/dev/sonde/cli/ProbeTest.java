package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** `sonde probe` against a real JVM: the agent loaded through the Attach API, probes in process. */
class ProbeTest {

    @RegisterExtension
    static final ProbeTarget target = new ProbeTarget(Probed.class);
    private static final String LABEL = "Probed.java:" + Markers.line(Probed.class, "order-label");
    private static final String START = "Probed.java:" + Markers.line(Probed.class, "order-start");

    @AfterEach
    void detach() {
        assertThat(Cli.run("probe", target.pid(), "--exec", "detach", "--json").exit()).isZero();
    }

    @Test
    void aLogpointPrintsTheValuesOfLocalsFieldsAndLiteralsAndRemovingItStopsTheOutput() {
        Cli.Run run = Cli.run("probe", target.pid(), "--json",
                "--exec", "log " + LABEL + " \"id={id} total={total} item={item} name={name} size={this.box.size} lit={42}\"",
                "--exec", "wait 1s");
        assertThat(run.exit()).as(run.toString()).isZero();
        int id = run.result("log", 0).path("probe").path("id").asInt();
        Cli.Run removal = Cli.run("probe", target.pid(), "--json", "--exec", "remove " + id, "--exec", "wait 500ms", "--exec", "probes");
        assertThat(removal.exit()).as(removal.toString()).isZero();
        List<JsonNode> lines = removal.json();
        int removed = indexOf(lines, "remove");
        List<JsonNode> logs = run.json().stream().filter(n -> n.path("event").asText().equals("log")).toList();
        assertThat(logs).as(run.toString()).hasSizeGreaterThan(10);
        Pattern expected = Pattern.compile("id=(\\d+) total=(\\d+) item=item-(\\d+) name=shop size=7 lit=42");
        for (JsonNode log : logs) {
            Matcher m = expected.matcher(log.path("text").asText());
            assertThat(m.matches()).as(log.toString()).isTrue();
            assertThat(Long.parseLong(m.group(2))).isEqualTo(3 * Long.parseLong(m.group(1)));
            assertThat(m.group(3)).isEqualTo(m.group(1));
            assertThat(log.path("source").asText()).isEqualTo("agent");
        }
        assertThat(lines.subList(removed, lines.size())).noneMatch(n -> n.path("event").asText().equals("log"));
        assertThat(removal.result("probes", 0).path("probes")).isEmpty();
        assertThat(target.jvm().output()).noneMatch(line -> line.contains("Exception") || line.contains("Error"));
    }

    @Test
    void aMonitorReportsCallsAndErrors() {
        Cli.Run run = Cli.run("probe", target.pid(), "--json", "--exec", "monitor dev.sonde.fixtures.Probed.risky every 500ms", "--exec", "wait 1800ms");
        assertThat(run.exit()).as(run.toString()).isZero();
        List<JsonNode> reports = run.events("monitor");
        assertThat(reports).as(run.toString()).isNotEmpty();
        JsonNode busy = reports.stream().filter(r -> r.path("calls").asLong() > 8).findFirst().orElseThrow(() -> new AssertionError(run));
        assertThat(busy.path("errors").asLong()).isBetween(busy.path("calls").asLong() / 4 - 1, busy.path("calls").asLong() / 4 + 1);
        assertThat(busy.path("p99Micros").asDouble()).isGreaterThanOrEqualTo(busy.path("p50Micros").asDouble()).isPositive();
    }

    @Test
    void theRateLimitDropsAndCountsTheLinesOverIt() {
        Cli.Run run = Cli.run("probe", target.pid(), "--json", "--exec", "log " + START + " \"{id}\" limit 20", "--exec", "wait 2500ms", "--exec", "probes");
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.events("dropped")).as(run.toString()).isNotEmpty();
        JsonNode probe = run.result("probes", 0).path("probes").path(0);
        assertThat(probe.path("dropped").asLong()).isPositive();
        assertThat(probe.path("printed").asLong()).isBetween(20L, 60L);
    }

    @Test
    void aSecondProbeReconnectsToTheLoadedAgentAndSeesItsProbes() {
        Cli.Run first = Cli.run("probe", target.pid(), "--exec", "log " + START + " \"id={id}\"", "--exec", "quit");
        assertThat(first.exit()).as(first.toString()).isZero();
        assertThat(first.out()).contains("stay armed");
        Cli.Run second = Cli.run("probe", target.pid(), "--json", "--exec", "probes");
        assertThat(second.result("connect", 0).path("loaded").asBoolean()).as(second.toString()).isFalse();
        assertThat(second.result("probes", 0).path("probes").path(0).path("location").asText()).isEqualTo("dev.sonde.fixtures.Probed:"
                + Markers.line(Probed.class, "order-start"));
    }

    @Test
    void badInputIsOneSentenceAndTheSessionGoesOn() {
        Cli.Run run = Cli.run("probe", target.pid(), "--json",
                "--exec", "log Probed.java:1 \"x\"",
                "--exec", "log Nope:3 \"x\"",
                "--exec", "log " + LABEL + " \"{id +}\"",
                "--exec", "log " + START + " \"{total}\"",
                "--exec", "monitor dev.sonde.fixtures.Probed.nope",
                "--exec", "frobnicate",
                "--exec", "probes");
        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.result("log", 0).path("error").asText()).startsWith("dev.sonde.fixtures.Probed has no code at line 1 (its code is on lines");
        assertThat(run.result("log", 1).path("error").asText()).startsWith("No loaded class is named Nope;");
        assertThat(run.result("log", 2).path("error").asText()).startsWith("'id +' is not a Java expression at column");
        assertThat(run.result("log", 3).path("error").asText()).startsWith("'total' is neither a local variable in scope at this line");
        assertThat(run.result("monitor", 0).path("error").asText()).isEqualTo(
                "dev.sonde.fixtures.Probed has no method 'nope' with code; it has <init>, main, order, risky.");
        assertThat(run.result("frobnicate", 0).path("error").asText()).startsWith("Unknown command 'frobnicate';");
        assertThat(run.result("probes", 0).path("ok").asBoolean()).isTrue();
        List<String> errors = run.results().stream().filter(r -> !r.path("ok").asBoolean()).map(r -> r.path("error").asText()).toList();
        assertThat(errors).allSatisfy(e -> assertThat(e).doesNotContain("\n").endsWith("."));
        Cli.Run noJvm = Cli.run("probe", "999999999");
        assertThat(noJvm.exit()).isEqualTo(ExitCodes.UNREACHABLE);
        assertThat(noJvm.err().strip()).isEqualTo("error: No process has pid 999999999; `sonde ps` lists the JVMs you can probe.");
    }

    @Test
    void onlyTheJvmsUserCanOpenTheAgentsDirectoryAndAnotherUserIsRefused() throws Exception {
        Path directory;
        try (AgentClient client = AgentClient.connect(target.jvm().pid())) {
            directory = client.directory();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(directory.resolve("token")))).isEqualTo("rw-------");
        Path setpriv = Path.of("/usr/bin/setpriv");
        Path python = Path.of("/usr/bin/python3");
        assumeTrue("root".equals(System.getProperty("user.name")) && Files.isExecutable(setpriv) && Files.isExecutable(python),
                "needs root, setpriv and python3 to connect as another user");
        String script = "import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n  s.connect(sys.argv[1]); print('connected')\n"
                + "except OSError as e:\n  print(type(e).__name__)";
        Process other = new ProcessBuilder(setpriv.toString(), "--reuid=65534", "--regid=65534", "--clear-groups", python.toString(), "-c",
                script, directory.resolve("agent.sock").toString()).redirectErrorStream(true).start();
        assertThat(other.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(other.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("PermissionError");
    }

    private static int indexOf(List<JsonNode> lines, String command) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).path("type").asText().equals("result") && lines.get(i).path("command").asText().equals(command)) {
                return i;
            }
        }
        throw new AssertionError("no result for " + command + " in " + lines);
    }
}
