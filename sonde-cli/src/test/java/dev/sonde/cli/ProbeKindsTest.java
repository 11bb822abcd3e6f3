package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.probe.AgentClient;
import dev.sonde.fixtures.Kinds;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** The agent's snap, watch and trace against a real JVM: records, enums, anonymous classes, lambdas, virtual threads. */
class ProbeKindsTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static TargetJvm target;
    private static AgentClient client;
    private static final List<JsonNode> events = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() {
        target = TargetJvm.start("ready", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), Kinds.class.getName());
    }

    @AfterAll
    static void stop() {
        target.close();
    }

    @BeforeEach
    void connect() {
        events.clear();
        client = AgentClient.connect(target.pid());
        client.onEvent(events::add);
    }

    /** Detaching removes every probe and ends the connection. */
    @AfterEach
    void detach() {
        try (AgentClient closing = client) {
            assertThat(closing.request(AgentClient.op("detach")).path("ok").asBoolean()).isTrue();
        }
    }

    @Test
    void aSnapshotOnARecordLineHasTheThreadTheStackTheLocalsOfTwoFramesAndItsWatchesThenRemovesItself() {
        int line = Markers.line(Kinds.class, "record-line");
        int id = arm(AgentClient.op("snap").put("location", "Kinds.java:" + line).put("max", 2).put("watch", "currency\nthis.cents"));
        List<JsonNode> snaps = awaitEvents(e -> e.path("event").asText().equals("snapshot") && e.path("probe").asInt() == id, 2);
        awaitEvents(e -> e.path("event").asText().equals("removed") && e.path("probe").asInt() == id, 1);
        assertThat(client.request(AgentClient.op("probes")).path("probes")).isEmpty();
        JsonNode snap = snaps.get(0);
        assertThat(snap.path("source").asText()).isEqualTo("agent");
        assertThat(snap.path("breakpoint").asInt()).isEqualTo(id);
        assertThat(snap.path("sequence").asLong()).isEqualTo(1);
        assertThat(snap.path("thread").path("name").asText()).isEqualTo("main");
        assertThat(snap.path("thread").path("virtual").asBoolean()).isFalse();
        JsonNode top = snap.path("frames").path(0);
        assertThat(top.path("class").asText()).isEqualTo("dev.sonde.fixtures.Kinds$Price");
        assertThat(top.path("method").asText()).isEqualTo("plus");
        assertThat(top.path("line").asInt()).isEqualTo(line);
        assertThat(top.path("file").asText()).isEqualTo("Kinds.java");
        assertThat(snap.path("frames").path(1).path("method").asText()).isEqualTo("checkout");
        assertThat(snap.path("frames").path(2).path("method").asText()).isEqualTo("main");
        JsonNode frame0 = variables(snap, 0);
        assertThat(variable(frame0, "this").path("value").asText()).matches("Price\\[cents=\\d+, currency=\"EUR\"]");
        assertThat(variable(frame0, "this").path("kind").asText()).isEqualTo("this");
        assertThat(variable(frame0, "more").path("value").asText()).isEqualTo("5");
        assertThat(variable(frame0, "more").path("valueType").asText()).isEqualTo("int");
        assertThat(variable(frame0, "more").path("kind").asText()).isEqualTo("argument");
        JsonNode frame1 = variables(snap, 1);
        assertThat(variable(frame1, "round").path("kind").asText()).isEqualTo("argument");
        assertThat(variable(frame1, "round").path("value").asText()).matches("\\d+");
        assertThat(variable(frame1, "this").path("valueType").asText()).isEqualTo("dev.sonde.fixtures.Kinds");
        assertThat(snap.path("watches").path(0).path("expression").asText()).isEqualTo("currency");
        assertThat(snap.path("watches").path(0).path("value").asText()).isEqualTo("\"EUR\"");
        assertThat(snap.path("watches").path(1).path("value").asText()).matches("\\d+");
        assertThat(snaps.get(1).path("sequence").asLong()).isEqualTo(2);
    }

    @Test
    void snapshotsWorkInALambdaAnAnonymousClassAnEnumAndOnAVirtualThreadWithValuesCutAtTheirLimits() {
        int lambda = arm(snapAt("lambda-line"));
        int anonymous = arm(snapAt("anon-line"));
        int constant = arm(snapAt("enum-line"));
        int virtual = arm(snapAt("virtual-line"));
        for (int id : List.of(lambda, anonymous, constant, virtual)) {
            awaitEvents(e -> e.path("event").asText().equals("snapshot") && e.path("probe").asInt() == id, 1);
        }
        JsonNode inLambda = snapshotOf(lambda);
        assertThat(inLambda.path("frames").path(0).path("method").asText()).startsWith("lambda$checkout$");
        assertThat(variable(variables(inLambda, 0), "n").path("value").asText()).matches("\\d+");
        JsonNode inAnonymous = snapshotOf(anonymous);
        assertThat(inAnonymous.path("frames").path(0).path("class").asText()).isEqualTo("dev.sonde.fixtures.Kinds$1");
        assertThat(variable(variables(inAnonymous, 0), "this").path("valueType").asText()).isEqualTo("dev.sonde.fixtures.Kinds$1");
        JsonNode inEnum = snapshotOf(constant);
        assertThat(variable(variables(inEnum, 0), "this").path("value").asText()).isIn("Kinds$Level.LOW", "Kinds$Level.HIGH");
        JsonNode onVirtual = snapshotOf(virtual);
        assertThat(onVirtual.path("thread").path("virtual").asBoolean()).isTrue();
        assertThat(onVirtual.path("thread").path("name").asText()).startsWith("vt-");
        JsonNode self = variable(variables(onVirtual, 0), "this");
        assertThat(field(self, "tags").path("value").asText()).isEqualTo("ArrayList(size=3) [\"a\", \"b\", \"c\"]");
        assertThat(field(self, "stock").path("value").asText()).endsWith("(size=1) {\"kettle\"=3}");
        JsonNode text = field(self, "longText");
        assertThat(text.path("value").asText()).endsWith("\"...(1000 chars)").hasSizeLessThan(300);
        assertThat(text.path("truncated").asBoolean()).isTrue();
    }

    @Test
    void aWatchReportsArgumentsReturnValuesExceptionsAndDurationsOnVirtualThreads() {
        int id = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds.handle"));
        JsonNode returned = awaitEvents(e -> e.path("probe").asInt() == id && e.has("returnValue"), 1).get(0);
        JsonNode threw = awaitEvents(e -> e.path("probe").asInt() == id && e.has("exception"), 1).get(0);
        assertThat(returned.path("event").asText()).isEqualTo("watch");
        assertThat(returned.path("method").asText()).isEqualTo("dev.sonde.fixtures.Kinds.handle(int)");
        JsonNode argument = returned.path("args").path(0);
        assertThat(argument.path("name").asText()).isEqualTo("request");
        assertThat(returned.path("returnValue").path("value").asText()).startsWith("\"reply-" + argument.path("value").asText());
        assertThat(returned.path("durationMicros").asDouble()).isNotNegative();
        assertThat(returned.path("thread").path("virtual").asBoolean()).isTrue();
        assertThat(threw.path("exception").path("type").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(threw.path("exception").path("message").asText()).isEqualTo("request " + threw.path("args").path(0).path("value").asText() + " refused");
        assertThat(Integer.parseInt(threw.path("args").path(0).path("value").asText()) % 3).isZero();
    }

    @Test
    void aWatchOnARecordAndAnEnumOverloadWithThrowAloneReportsOnlyFailures() {
        int record = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds$Price.plus(int)").put("show", "return"));
        int constant = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds$Level.weight").put("show", "args"));
        int failures = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds.handle").put("show", "throw"));
        JsonNode plus = awaitEvents(e -> e.path("probe").asInt() == record, 1).get(0);
        assertThat(plus.has("args")).isFalse();
        assertThat(plus.path("returnValue").path("value").asText()).matches("Price\\[cents=\\d+, currency=\"EUR\"]");
        JsonNode weight = awaitEvents(e -> e.path("probe").asInt() == constant, 1).get(0);
        assertThat(weight.path("args").path(0).path("name").asText()).isEqualTo("base");
        List<JsonNode> failed = awaitEvents(e -> e.path("probe").asInt() == failures, 3);
        assertThat(failed).allSatisfy(e -> assertThat(e.has("exception")).isTrue());
    }

    @Test
    void aWatchWorksOnAnAnonymousClassAndOnALambdasMethod() {
        String lambda = java.util.Arrays.stream(Kinds.class.getDeclaredMethods()).map(java.lang.reflect.Method::getName)
                .filter(n -> n.startsWith("lambda$checkout$")).findFirst().orElseThrow();
        int anonymous = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds$1.run"));
        int inLambda = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds." + lambda));
        JsonNode run = awaitEvents(e -> e.path("probe").asInt() == anonymous, 1).get(0);
        assertThat(run.path("method").asText()).isEqualTo("dev.sonde.fixtures.Kinds$1.run()");
        assertThat(run.path("returnValue").path("valueType").asText()).isEqualTo("void");
        JsonNode doubled = awaitEvents(e -> e.path("probe").asInt() == inLambda, 1).get(0);
        assertThat(doubled.path("args").path(0).path("name").asText()).isEqualTo("n");
        assertThat(Integer.parseInt(doubled.path("returnValue").path("value").asText()))
                .isEqualTo(2 * Integer.parseInt(doubled.path("args").path(0).path("value").asText()));
    }

    @Test
    void aTraceTimesTheCallTreeThreeLevelsDeepInOnePass() {
        int id = arm(AgentClient.op("trace").put("method", "dev.sonde.fixtures.Kinds.checkout").put("everyMillis", 300));
        JsonNode tree = awaitEvents(e -> e.path("event").asText().equals("trace") && e.path("probe").asInt() == id, 1).get(0).path("tree");
        assertThat(tree.path("call").asText()).isEqualTo("dev.sonde.fixtures.Kinds.checkout");
        long calls = tree.path("count").asLong();
        assertThat(calls).isPositive();
        JsonNode total = child(tree, "Kinds.total(");
        assertThat(total.path("count").asLong()).isEqualTo(calls);
        JsonNode taxed = child(total, "Kinds.taxed(");
        assertThat(child(taxed, "Math.round(").path("count").asLong()).isEqualTo(calls);
        assertThat(child(taxed, "Kinds.rounding(").path("count").asLong()).isEqualTo(calls);
        assertThat(child(tree, "Kinds$Price.plus(").path("count").asLong()).isEqualTo(calls);
        // a call on a JDK interface is followed into the application class that implements it
        assertThat(child(child(tree, "Runnable.run("), "String.length(").path("count").asLong()).isEqualTo(calls);
        assertThat(tree.path("totalMillis").asDouble()).isGreaterThanOrEqualTo(total.path("totalMillis").asDouble());
        assertThat(target.output()).noneMatch(line -> line.contains("VerifyError") || line.contains("Exception in"));
    }

    @Test
    void conditionsSelectTheSnapshotsAndTheWatchedCallsAndSeeTheReturnValueAndTheException() {
        int even = arm(snapAt("record-line").put("max", 3).put("condition", "cents % 2 == 0 && more == 5"));
        int failed = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds.handle").put("condition", "exception != null"));
        int big = arm(AgentClient.op("watch").put("method", "dev.sonde.fixtures.Kinds.taxed")
                .put("condition", "cents % 2 == 1 && returnValue.intValue() > 100"));
        assertThat(client.request(AgentClient.op("probes")).path("probes")).extracting(p -> p.path("condition").asText())
                .contains("exception != null", "cents % 2 == 1 && returnValue.intValue() > 100");
        List<JsonNode> snaps = awaitEvents(e -> e.path("event").asText().equals("snapshot") && e.path("probe").asInt() == even, 3);
        assertThat(snaps).allSatisfy(snap -> assertThat(Integer.parseInt(variable(variables(snap, 0), "this").path("value").asText()
                .replaceAll("Price\\[cents=(\\d+),.*", "$1")) % 2).isZero());
        List<JsonNode> failures = awaitEvents(e -> e.path("probe").asInt() == failed, 3);
        assertThat(failures).allSatisfy(e -> assertThat(e.path("exception").path("type").asText()).isEqualTo("java.lang.IllegalArgumentException"));
        List<JsonNode> taxed = awaitEvents(e -> e.path("probe").asInt() == big, 3);
        assertThat(taxed).allSatisfy(e -> {
            assertThat(Integer.parseInt(e.path("args").path(0).path("value").asText()) % 2).isOne();
            assertThat(Integer.parseInt(e.path("returnValue").path("value").asText())).isGreaterThan(100);
        });
    }

    @Test
    void everyKindOfProbeOnOneMethodAtOnceKeepsItsOwnSlotsAndRemovingThemRestoresTheClass() {
        String line = "Kinds.java:" + Markers.line(Kinds.class, "taxed-line");
        String method = "dev.sonde.fixtures.Kinds.taxed";
        int log = arm(AgentClient.op("log").put("location", line).put("text", "cents={cents} more={cents + 1}").put("condition", "cents > 0"));
        int snap = arm(AgentClient.op("snap").put("location", line).put("max", 2).put("condition", "cents % 2 == 0"));
        int watch = arm(AgentClient.op("watch").put("method", method).put("condition", "returnValue.intValue() > cents"));
        int trace = arm(AgentClient.op("trace").put("method", method).put("depth", 1).put("everyMillis", 300));
        int monitor = arm(AgentClient.op("monitor").put("method", method).put("everyMillis", 300));
        JsonNode logged = awaitEvents(e -> e.path("probe").asInt() == log && e.path("event").asText().equals("log"), 1).get(0);
        assertThat(logged.path("text").asText()).matches("cents=(\\d+) more=\\d+");
        JsonNode snapped = awaitEvents(e -> e.path("probe").asInt() == snap && e.path("event").asText().equals("snapshot"), 1).get(0);
        int cents = Integer.parseInt(variable(variables(snapped, 0), "cents").path("value").asText());
        assertThat(cents % 2).isZero();
        JsonNode watched = awaitEvents(e -> e.path("probe").asInt() == watch, 1).get(0);
        assertThat(Integer.parseInt(watched.path("returnValue").path("value").asText()))
                .isGreaterThan(Integer.parseInt(watched.path("args").path(0).path("value").asText()));
        JsonNode tree = awaitEvents(e -> e.path("probe").asInt() == trace && e.path("event").asText().equals("trace"), 1).get(0).path("tree");
        assertThat(child(tree, "Kinds.rounding(").path("count").asLong()).isEqualTo(tree.path("count").asLong());
        awaitEvents(e -> e.path("probe").asInt() == monitor && e.path("calls").asLong() > 0, 1);
        assertThat(events).noneMatch(e -> e.path("event").asText().equals("error"));
        assertThat(target.output()).noneMatch(l -> l.contains("VerifyError") || l.contains("Exception in"));
    }

    @Test
    void theConsoleVerbsSetProbesAndBadInputIsOneSentence() {
        Cli.Run run = Cli.run("probe", Long.toString(target.pid()), "--json",
                "--exec", "snap Kinds.java:" + Markers.line(Kinds.class, "record-line") + " max 1 watch currency",
                "--exec", "watch dev.sonde.fixtures.Kinds.handle args throw limit 5",
                "--exec", "trace dev.sonde.fixtures.Kinds.checkout depth 2 every 1s",
                "--exec", "watch dev.sonde.fixtures.Kinds.nope",
                "--exec", "watch dev.sonde.fixtures.Kinds.handle(String)",
                "--exec", "snap Kinds.java:" + Markers.line(Kinds.class, "record-line") + " if nope > 3 max 2",
                "--exec", "snap Kinds.java:" + Markers.line(Kinds.class, "record-line") + " watch nothing.here",
                "--exec", "trace dev.sonde.fixtures.Kinds.checkout depth 0",
                "--exec", "watch dev.sonde.fixtures.Kinds.handle sideways",
                "--exec", "probes");
        assertThat(run.exit()).as(run.toString()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.result("snap", 0).path("probe").path("kind").asText()).isEqualTo("snap");
        assertThat(run.result("watch", 0).path("probe").path("show").toString()).isEqualTo("[\"args\",\"throw\"]");
        assertThat(run.result("trace", 0).path("probe").path("methods").asInt()).isGreaterThan(1);
        assertThat(run.result("watch", 1).path("error").asText()).startsWith("dev.sonde.fixtures.Kinds has no method 'nope' with code; it has")
                .contains("checkout", "handle", "total");
        assertThat(run.result("watch", 2).path("error").asText()).isEqualTo(
                "dev.sonde.fixtures.Kinds.handle has no overload (String); it has (int).");
        assertThat(run.result("snap", 1).path("error").asText()).contains("nope");
        assertThat(run.result("snap", 2).path("error").asText()).startsWith("'nothing' is neither a local variable in scope at this line");
        assertThat(run.result("trace", 1).path("error").asText()).startsWith("The depth must be");
        assertThat(run.result("watch", 3).path("error").asText()).startsWith("watch takes args, return, throw");
        List<String> errors = run.results().stream().filter(r -> !r.path("ok").asBoolean()).map(r -> r.path("error").asText()).toList();
        assertThat(errors).hasSize(6).allSatisfy(e -> assertThat(e).doesNotContain("\n").endsWith("."));
        // the snapshot took its one capture and removed itself
        assertThat(run.result("probes", 0).path("probes")).extracting(p -> p.path("kind").asText()).contains("watch", "trace");
    }

    private static com.fasterxml.jackson.databind.node.ObjectNode snapAt(String marker) {
        return AgentClient.op("snap").put("location", "Kinds.java:" + Markers.line(Kinds.class, marker)).put("max", 1);
    }

    private static int arm(com.fasterxml.jackson.databind.node.ObjectNode request) {
        JsonNode answer = client.request(request);
        assertThat(answer.path("ok").asBoolean()).as(answer.toString()).isTrue();
        return answer.path("probe").path("id").asInt();
    }

    /** Polls the events received until {@code count} match, or fails at the deadline with what came. */
    private static List<JsonNode> awaitEvents(Predicate<JsonNode> wanted, int count) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            List<JsonNode> matching = events.stream().filter(wanted).toList();
            if (matching.size() >= count) {
                return new ArrayList<>(matching.subList(0, count));
            }
            TargetJvm.sleep(20);
        }
        throw new AssertionError("fewer than " + count + " matching events within " + DEADLINE + "; got " + events);
    }

    private static JsonNode snapshotOf(int id) {
        return events.stream().filter(e -> e.path("event").asText().equals("snapshot") && e.path("probe").asInt() == id).findFirst().orElseThrow();
    }

    private static JsonNode variables(JsonNode snapshot, int frame) {
        for (JsonNode locals : snapshot.path("locals")) {
            if (locals.path("frame").asInt() == frame) {
                return locals.path("variables");
            }
        }
        throw new AssertionError("no locals of frame " + frame + " in " + snapshot);
    }

    private static JsonNode variable(JsonNode variables, String name) {
        return StreamSupport.stream(variables.spliterator(), false).filter(v -> v.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no variable " + name + " in " + variables));
    }

    private static JsonNode field(JsonNode variable, String name) {
        return variable(variable.path("fields"), name);
    }

    private static JsonNode child(JsonNode node, String callPrefix) {
        return StreamSupport.stream(node.path("children").spliterator(), false).filter(c -> c.path("call").asText().startsWith(callPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no call " + callPrefix + " under " + node));
    }
}
