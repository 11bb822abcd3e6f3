package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.tools.attach.VirtualMachine;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.cli.testagent.ClassBytesAgent;
import dev.sonde.fixtures.LateLoading;
import dev.sonde.fixtures.Later;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent's safety budgets, probes on classes loaded later (in any class loader, or in a JDK module), another
 * agent rewriting the same class, and byte-exact restore, against real JVMs.
 */
class ProbeBudgetsTest {

    private static final String PROBED = "dev.sonde.fixtures.Probed";
    private static final String LABEL = "Probed.java:" + Markers.line(Probed.class, "order-label");
    private static final String START = "Probed.java:" + Markers.line(Probed.class, "order-start");
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    private static Path work;
    private static Path otherAgent;
    /** Probed, started with the other agent counting calls of {@code order} (it rewrote the class before Sonde came). */
    private static TargetJvm probed;
    /** LateLoading: loads Later when the test asks, in two class loaders. */
    private static TargetJvm late;

    @BeforeAll
    static void start() throws Exception {
        work = Files.createTempDirectory("sonde-budgets");
        otherAgent = buildOtherAgent(work.resolve("class-bytes-agent.jar"));
        probed = TargetJvm.start("ready", "-Xmx64m", "-XX:+EnableDynamicAgentLoading", "-javaagent:" + otherAgent + "=count " + PROBED + " order",
                "-cp", Markers.classPath().toString(), Probed.class.getName());
        late = TargetJvm.start("ready", "-Xmx64m", "-cp", Markers.classPath().toString(), LateLoading.class.getName(), work.toString());
    }

    @AfterAll
    static void stop() throws IOException {
        probed.close();
        late.close();
        try (Stream<Path> files = Files.walk(work)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @AfterEach
    void detach() {
        for (TargetJvm jvm : List.of(probed, late)) {
            Cli.Run run = Cli.run("probe", Long.toString(jvm.pid()), "--exec", "detach", "--json");
            assertThat(run.exit()).as(run.toString()).isZero();
        }
    }

    @Test
    void aProbeOverItsCpuBudgetIsDisabledWithASentenceAndItsClassRestored() throws Exception {
        try (Agent agent = new Agent(probed)) {
            byte[] before = classBytes();
            JsonNode placed = agent.request(AgentClient.op("log").put("location", START).put("text", "{id} {item}").put("limit", 1000)
                    .put("cpuPercent", 0.001));
            int id = placed.path("probe").path("id").asInt();
            assertThat(placed.path("probe").path("cpuPercent").asDouble()).as(placed.toString()).isEqualTo(0.001);
            JsonNode disabled = agent.awaitEvent(e -> e.path("event").asText().equals("disabled") && e.path("probe").asInt() == id);
            assertThat(disabled.path("reason").asText()).isEqualTo("cpu");
            assertThat(disabled.path("text").asText()).matches("Probe " + id + " was disabled: it used [0-9.]+% of one core over the last 10s,"
                    + " over its CPU budget of 0\\.001%; its class has its original bytecode again\\. Set it again with a larger budget"
                    + " \\(`cpu [0-9.]+%`\\) to re-arm it\\.");
            assertThat(agent.request(AgentClient.op("probes")).path("probes")).isEmpty();
            assertThat(classBytes()).isEqualTo(before);
        }
    }

    @Test
    void aProbeOutsideTheSharedBudgetIsNeverTheOneDisabledForIt() {
        try (Agent agent = new Agent(probed)) {
            agent.request(AgentClient.op("settings").put("cpuPercent", 0.001));
            int exempt = agent.request(AgentClient.op("log").put("location", START).put("text", "{id} {item}").put("limit", 1000)
                    .put("cpuPercent", 50).put("sharedBudget", false)).path("probe").path("id").asInt();
            int shared = agent.request(AgentClient.op("log").put("location", START).put("text", "{item}").put("limit", 1000)
                    .put("cpuPercent", 50)).path("probe").path("id").asInt();
            JsonNode disabled = agent.awaitEvent(e -> e.path("event").asText().equals("disabled"));
            assertThat(disabled.path("probe").asInt()).as(disabled.toString()).isEqualTo(shared);
            assertThat(agent.request(AgentClient.op("probes")).path("probes")).extracting(p -> p.path("id").asInt()).containsExactly(exempt);
        }
    }

    @Test
    void overTheBudgetOfAllProbesTogetherTheMostExpensiveIsDisabled() {
        try (Agent agent = new Agent(probed)) {
            agent.request(AgentClient.op("settings").put("cpuPercent", 0.001));
            int costly = agent.request(AgentClient.op("log").put("location", START).put("text", "{id} {item}").put("limit", 1000)
                    .put("cpuPercent", 50)).path("probe").path("id").asInt();
            int cheap = agent.request(AgentClient.op("monitor").put("method", PROBED + ".risky").put("everyMillis", 60_000)
                    .put("cpuPercent", 50)).path("probe").path("id").asInt();
            JsonNode disabled = agent.awaitEvent(e -> e.path("event").asText().equals("disabled"));
            assertThat(disabled.path("probe").asInt()).as(disabled.toString()).isEqualTo(costly);
            assertThat(disabled.path("text").asText()).matches("Probe " + costly + " was disabled: the probes together used [0-9.]+% of one"
                    + " core over the last 10s, over the budget of 0\\.001% \\(probes\\.cpuPercent in sonde\\.yaml\\), and it cost the most"
                    + " \\([0-9.]+%\\); its class has its original bytecode again\\. Set it again with a larger budget \\(`cpu [0-9.]+%`, and a"
                    + " larger probes\\.cpuPercent\\) to re-arm it\\.");
            assertThat(agent.request(AgentClient.op("probes")).path("probes").findValuesAsText("id")).doesNotContain(Integer.toString(costly));
            assertThat(cheap).isNotEqualTo(costly);
        }
    }

    @Test
    void aProbeOnAClassTheAgentRunsOnIsRefused() {
        try (Agent agent = new Agent(late)) {
            assertThat(agent.refusal(AgentClient.op("monitor").put("method", "java.lang.StringBuilder.append").put("everyMillis", 1000))
                    .path("error").asText()).isEqualTo("java.lang.StringBuilder is one of the classes the agent itself runs on (java.lang,"
                    + " jdk.internal, sun); probe the code that calls it.");
        }
    }

    @Test
    void anExpiredProbeIsRemovedWithASentence() {
        try (Agent agent = new Agent(probed)) {
            int id = agent.request(AgentClient.op("log").put("location", START).put("text", "{id}").put("expiryMillis", 1000))
                    .path("probe").path("id").asInt();
            JsonNode expired = agent.awaitEvent(e -> e.path("event").asText().equals("expired") && e.path("probe").asInt() == id);
            assertThat(expired.path("text").asText()).isEqualTo("Probe " + id + " expired after 1s and was removed; set it again"
                    + " (with `expires 2h` for a longer life).");
            assertThat(agent.request(AgentClient.op("probes")).path("probes")).isEmpty();
        }
    }

    @Test
    void budgetsComeFromSondeYamlAndFromEachProbesOptionsAndTheProbeOverTheLimitIsRefused() throws IOException {
        Path yaml = work.resolve("budgets.yaml");
        Files.writeString(yaml, "probes:\n  maxLive: 2\n  expiry: 2m\n");
        Cli.Run run = Cli.run("probe", Long.toString(probed.pid()), "--config", yaml.toString(), "--json",
                "--exec", "log " + START + " \"{id}\" limit 500 cpu 0.5% expires 10m",
                "--exec", "monitor " + PROBED + ".risky every 1s",
                "--exec", "log " + LABEL + " \"{id}\"",
                "--exec", "log " + LABEL + " \"{id}\" cpu 0%",
                "--exec", "probes");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        JsonNode log = run.result("log", 0).path("probe");
        assertThat(log.path("state").asText()).as(run.toString()).isEqualTo("armed");
        assertThat(log.path("limit").asInt()).isEqualTo(500);
        assertThat(log.path("cpuPercent").asDouble()).isEqualTo(0.5);
        assertThat(log.path("expiryMillis").asLong()).isEqualTo(600_000);
        JsonNode monitor = run.result("monitor", 0).path("probe");
        assertThat(monitor.path("expiryMillis").asLong()).as("from sonde.yaml").isEqualTo(120_000);
        assertThat(monitor.path("cpuPercent").asDouble()).as("the default").isEqualTo(1.0);
        assertThat(run.result("log", 1).path("error").asText()).isEqualTo("There are already 2 live probes, the limit (probes.maxLive in"
                + " sonde.yaml); remove one (`probes` lists them) or raise the limit.");
        assertThat(run.result("log", 2).path("error").asText()).isEqualTo("'0%' is not a CPU budget; write a share of one core above 0%"
                + " and at most 100%, like cpu 0.5%.");
        assertThat(run.result("probes", 0).path("probes")).hasSize(2);
    }

    @Test
    void aProbeOnAClassNotLoadedYetWaitsAndIsArmedInEachClassLoaderThatDefinesIt() throws IOException {
        String location = Later.class.getName() + ":" + Markers.line(Later.class, "later-tick");
        try (Agent agent = new Agent(late)) {
            JsonNode placed = agent.request(AgentClient.op("log").put("location", location).put("text", "{loader} {round}"));
            JsonNode waiting = placed.path("probe");
            int id = waiting.path("id").asInt();
            assertThat(waiting.path("state").asText()).as(placed.toString()).isEqualTo("pending");
            assertThat(placed.path("armed")).isEmpty();
            JsonNode listed = agent.request(AgentClient.op("probes")).path("probes").path(0);
            assertThat(listed.path("pending").asText()).isEqualTo("Waiting for dev.sonde.fixtures.Later to be loaded; the probe is armed"
                    + " when a class loader defines it, in each loader that does.");
            int inNested = agent.request(AgentClient.op("log").put("location", "dev.sonde.fixtures.Later:" + Markers.line(Later.class, "later-step"))
                    .put("text", "step {this.round}")).path("probe").path("id").asInt();
            JsonNode snapWaiting = agent.request(AgentClient.op("snap").put("location", location).put("condition", "round > 0").put("max", 1)
                    .put("limit", 5)).path("probe");
            assertThat(snapWaiting.path("state").asText()).isEqualTo("pending");
            assertThat(snapWaiting.path("kind").asText()).isEqualTo("snap");
            int snap = snapWaiting.path("id").asInt();
            int watch = agent.request(AgentClient.op("watch").put("method", Later.class.getName() + ".tick").put("show", "return"))
                    .path("probe").path("id").asInt();

            Files.createFile(work.resolve("load-app"));
            JsonNode armed = agent.awaitEvent(e -> e.path("event").asText().equals("armed") && e.path("probe").asInt() == id);
            assertThat(armed.path("text").asText()).isEqualTo("Probe " + id + " armed: dev.sonde.fixtures.Later was loaded by class loader 'app'.");
            agent.awaitEvent(e -> e.path("event").asText().equals("log") && e.path("probe").asInt() == id
                    && e.path("text").asText().matches("app \\d+"));
            JsonNode nestedArmed = agent.awaitEvent(e -> e.path("event").asText().equals("armed") && e.path("probe").asInt() == inNested);
            assertThat(nestedArmed.path("text").asText()).as("armed in the nested class Later$Step, loaded after Later")
                    .isIn("Probe " + inNested + " armed: dev.sonde.fixtures.Later$Step was loaded by class loader 'app'.",
                            "Probe " + inNested + " armed: dev.sonde.fixtures.Later was loaded by class loader 'app'.");
            agent.awaitEvent(e -> e.path("event").asText().equals("log") && e.path("probe").asInt() == inNested
                    && e.path("text").asText().matches("step \\d+"));
            JsonNode snapshot = agent.awaitEvent(e -> e.path("event").asText().equals("snapshot") && e.path("probe").asInt() == snap);
            assertThat(snapshot.path("frames").path(0).path("method").asText()).isEqualTo("tick");
            JsonNode watched = agent.awaitEvent(e -> e.path("event").asText().equals("watch") && e.path("probe").asInt() == watch);
            assertThat(watched.path("method").asText()).isEqualTo("dev.sonde.fixtures.Later.tick(int, java.lang.String)");

            Files.createFile(work.resolve("load-custom"));
            JsonNode second = agent.awaitEvent(e -> e.path("event").asText().equals("armed") && e.path("from").asInt() == id
                    && e.path("loader").asText().equals("custom"));
            int copy = second.path("probe").asInt();
            assertThat(second.path("text").asText()).isEqualTo("Probe " + copy + " (from probe " + id + ") armed: dev.sonde.fixtures.Later"
                    + " was loaded by class loader 'custom'.");
            agent.awaitEvent(e -> e.path("event").asText().equals("log") && e.path("probe").asInt() == copy
                    && e.path("text").asText().matches("custom \\d+"));

            JsonNode both = agent.request(AgentClient.op("log").put("location", location).put("text", "again {round}"));
            assertThat(both.path("armed").findValuesAsText("loader")).as(both.toString()).containsExactly("app", "custom");
            Cli.Run console = Cli.run("probe", Long.toString(late.pid()), "--exec", "log " + location + " \"{round}\"");
            assertThat(console.out()).as(console.toString()).containsPattern("Armed in 2 class loaders:\\R  Probe \\d+: log at "
                    + location + " \\(in tick\\) \"\\{round\\}\", up to 100 lines/s, \\d+ printed, \\d+ dropped\\R  Probe \\d+: log at " + location
                    + " \\(in tick\\) \"\\{round\\}\", up to 100 lines/s, \\d+ printed, \\d+ dropped \\[class loader custom\\]");
        }
    }

    @Test
    void aMethodOfAJdkClassInANamedModuleCanBeMonitored() {
        try (Agent agent = new Agent(late)) {
            JsonNode placed = agent.request(AgentClient.op("monitor").put("method", "java.util.concurrent.ThreadPoolExecutor.execute")
                    .put("everyMillis", 500));
            assertThat(placed.path("ok").asBoolean()).as(placed.toString()).isTrue();
            assertThat(placed.path("probe").path("loader").asText()).isEqualTo("boot");
            agent.awaitEvent(e -> e.path("event").asText().equals("monitor") && e.path("calls").asLong() > 10);
        }
        assertThat(late.output()).noneMatch(line -> line.contains("IllegalAccessError") || line.contains("Exception"));
    }

    @Test
    void removingEveryProbeGivesTheClassItsExactBytesBack() throws Exception {
        byte[] before;
        try (Agent agent = new Agent(probed)) {
            before = classBytes();
            int log = agent.request(AgentClient.op("log").put("location", LABEL).put("text", "{id}")).path("probe").path("id").asInt();
            agent.request(AgentClient.op("monitor").put("method", PROBED + ".order").put("everyMillis", 1000));
            byte[] armed = classBytes();
            assertThat(new String(armed, StandardCharsets.ISO_8859_1)).contains("dev/sonde/agent/spy/SondeSpy");
            agent.request(AgentClient.op("remove").put("probe", log));
            assertThat(classBytes()).isNotEqualTo(before);
            assertThat(agent.request(AgentClient.op("detach")).path("removedCount").asInt()).isEqualTo(1);
        }
        assertThat(classBytes()).isEqualTo(before);
    }

    @Test
    void aClassTheAgentCannotRewriteIsOneSentenceAndIsLeftAsItWas() throws Exception {
        byte[] before = classBytes();
        loadOtherAgent("break " + PROBED);
        try (Agent agent = new Agent(probed)) {
            JsonNode refused = agent.refusal(AgentClient.op("log").put("location", LABEL).put("text", "{id}"));
            assertThat(refused.path("error").asText()).startsWith("The agent could not rewrite dev.sonde.fixtures.Probed (java.lang.ClassFormatError")
                    .endsWith("); the class was left as it was.").doesNotContain("\n");
            assertThat(agent.request(AgentClient.op("probes")).path("probes")).isEmpty();
        } finally {
            loadOtherAgent("unbreak");
        }
        assertThat(classBytes()).isEqualTo(before);
    }

    @Test
    void anotherAgentsRewriteSurvivesSondesArmAndRemoveWhetherItCameBeforeOrAfter() throws Exception {
        try (Agent agent = new Agent(probed)) {
            loadOtherAgent("count " + PROBED + " risky");
            awaitCountAbove("risky", 0);
            int id = agent.request(AgentClient.op("log").put("location", LABEL).put("text", "{id}")).path("probe").path("id").asInt();
            agent.awaitEvent(e -> e.path("event").asText().equals("log") && e.path("probe").asInt() == id);
            awaitCountAbove("order", count("order"));
            awaitCountAbove("risky", count("risky"));
            agent.request(AgentClient.op("remove").put("probe", id));
            awaitCountAbove("order", count("order"));
            awaitCountAbove("risky", count("risky"));
            int again = agent.request(AgentClient.op("log").put("location", LABEL).put("text", "{id}")).path("probe").path("id").asInt();
            agent.awaitEvent(e -> e.path("event").asText().equals("log") && e.path("probe").asInt() == again);
        }
        assertThat(probed.output()).noneMatch(line -> line.contains("Exception") || line.contains("Error"));
    }

    @Test
    void detachThenANewSondeProbeStillWorks() {
        String pid = Long.toString(probed.pid());
        Cli.Run first = Cli.run("probe", pid, "--json", "--exec", "log " + START + " \"{id}\"", "--exec", "detach");
        assertThat(first.exit()).as(first.toString()).isZero();
        Cli.Run second = Cli.run("probe", pid, "--json", "--exec", "log " + START + " \"{id}\"", "--exec", "probes");
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(second.result("connect", 0).path("loaded").asBoolean()).isFalse();
        assertThat(second.result("probes", 0).path("probes").path(0).path("state").asText()).isEqualTo("armed");
        try (Agent agent = new Agent(probed)) {
            agent.awaitEvent(e -> e.path("event").asText().equals("log"));
        }
    }

    /** A connection to the agent that keeps the events it sends. */
    private static final class Agent implements AutoCloseable {
        private final AgentClient client;
        private final List<JsonNode> events = new CopyOnWriteArrayList<>();

        Agent(TargetJvm jvm) {
            client = AgentClient.connect(jvm.pid());
            client.onEvent(events::add);
        }

        /** The agent's answer, which must be ok. */
        JsonNode request(ObjectNode request) {
            JsonNode answer = client.request(request);
            assertThat(answer.path("ok").asBoolean()).as(request + " -> " + answer).isTrue();
            return answer;
        }

        JsonNode refusal(ObjectNode request) {
            JsonNode answer = client.request(request);
            assertThat(answer.path("ok").asBoolean()).as(request + " -> " + answer).isFalse();
            return answer;
        }

        JsonNode awaitEvent(Predicate<JsonNode> wanted) {
            long deadline = System.nanoTime() + PATIENCE.toNanos();
            while (System.nanoTime() < deadline) {
                for (JsonNode event : events) {
                    if (wanted.test(event)) {
                        return event;
                    }
                }
                TargetJvm.sleep(20);
            }
            throw new AssertionError("no such event within " + PATIENCE + "; events: " + events.subList(Math.max(0, events.size() - 20), events.size()));
        }

        @Override
        public void close() {
            client.close();
        }
    }

    /** Probed's current bytes, as a transformer registered after Sonde's is handed them on a retransformation. */
    private static synchronized byte[] classBytes() throws Exception {
        Path file = Files.createTempFile(work, "probed", ".class");
        loadOtherAgent("record " + PROBED + " " + file);
        return Files.readAllBytes(file);
    }

    private static void loadOtherAgent(String args) throws Exception {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(probed.pid()));
        try {
            vm.loadAgent(otherAgent.toString(), args);
        } finally {
            vm.detach();
        }
    }

    /** The last count the other agent printed for {@code method}. */
    private static long count(String method) {
        List<String> lines = new ArrayList<>(probed.output());
        long last = -1;
        for (String line : lines) {
            if (line.startsWith("counted " + method + " ")) {
                last = Long.parseLong(line.substring(("counted " + method + " ").length()));
            }
        }
        return last;
    }

    private static void awaitCountAbove(String method, long floor) {
        assertThat(probed.awaitOutput(line -> line.startsWith("counted " + method + " ")
                && Long.parseLong(line.substring(("counted " + method + " ").length())) > floor, PATIENCE))
                .as("the other agent's counter in " + method + " goes on past " + floor).isTrue();
    }

    /** The other agent's jar: its classes from the test classes, ASM copied in, and a manifest for both ways of loading it. */
    private static Path buildOtherAgent(Path jar) throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Premain-Class", ClassBytesAgent.class.getName());
        main.putValue("Agent-Class", ClassBytesAgent.class.getName());
        main.putValue("Can-Retransform-Classes", "true");
        Path classes = Path.of(ClassBytesAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path asm = Path.of(ClassReader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest);
             Stream<Path> own = Files.list(classes.resolve("dev/sonde/cli/testagent"));
             JarFile asmJar = new JarFile(asm.toFile())) {
            for (Path file : own.sorted(Comparator.naturalOrder()).toList()) {
                out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
            for (JarEntry entry : asmJar.stream().filter(e -> e.getName().endsWith(".class") && !e.getName().contains("module-info")).toList()) {
                out.putNextEntry(new JarEntry(entry.getName()));
                try (InputStream in = asmJar.getInputStream(entry)) {
                    in.transferTo(out);
                }
                out.closeEntry();
            }
        }
        return jar;
    }
}
