package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Contention;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code classes}, {@code methods}, {@code instances}, {@code monitors} and the {@code threads} table, in text and JSON
 * lines, attached to a real JVM with deadlocked threads ({@link Contention}).
 */
class TargetInspectionTest {

    private static final String FIXTURE = Contention.class.getName();

    private static ServerManager servers;
    private static String address;

    @BeforeAll
    static void startContention() throws InterruptedException {
        servers = new ServerManager();
        StringBuffer output = new StringBuffer();
        DebugServer server = servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), FIXTURE)),
                (category, text) -> output.append(text));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!output.toString().contains("contention ready")) {
            assertThat(System.nanoTime()).as("the fixture never got ready; it printed: %s", output).isLessThan(deadline);
            Thread.sleep(20);
        }
        address = server.address().toString();
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static Cli.Run attach(boolean json, String... commands) {
        // without the async-stack agent's load and its JDWP reads, so object ids come out the same in every session
        List<String> args = new ArrayList<>(List.of("attach", address, "--no-async-stacks"));
        if (json) {
            args.add("--json");
        }
        for (String command : commands) {
            args.addAll(List.of("--exec", command));
        }
        args.addAll(List.of("--exec", "detach"));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void monitorsNameTheMonitorAndTheReentrantLockDeadlockCycles() {
        Cli.Run json = attach(true, "monitors");
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode report = json.result("monitors", 0);
        assertThat(report.path("suspendedMillis").asLong()).as("a running target is suspended for the reads").isGreaterThanOrEqualTo(0);
        List<String> cycles = report.path("deadlocks").findValuesAsText("description");
        assertThat(cycles).hasSize(2);
        String monitor = "Contention\\$Left@\\d+";
        String otherMonitor = "Contention\\$Right@\\d+";
        // A cycle starts at its lowest debugger thread id, which follows the order the debugger first saw the threads in.
        assertThat(cycles).anySatisfy(cycle -> assertThat(cycle).matches("deadlock: monitor-left holds (" + monitor + "), waits for "
                + otherMonitor + " held by monitor-right, which waits for \\1|deadlock: monitor-right holds (" + otherMonitor
                + "), waits for " + monitor + " held by monitor-left, which waits for \\2"));
        String sync = "ReentrantLock\\$NonfairSync@\\d+";
        assertThat(cycles).anySatisfy(cycle -> assertThat(cycle).matches("deadlock: lock-(left|right) holds (" + sync + "), waits for (?!\\2)"
                + sync + " held by lock-(?!\\1)(left|right), which waits for \\2"));

        JsonNode lockLeft = thread(report, "lock-left");
        assertThat(lockLeft.path("wait").asText()).isEqualTo("park");
        assertThat(lockLeft.path("awaited").path("kind").asText()).isEqualTo("synchronizer");
        assertThat(lockLeft.path("owned").get(0).path("type").asText()).isEqualTo("java.util.concurrent.locks.ReentrantLock$NonfairSync");
        assertThat(lockLeft.path("ownerId").asLong()).isEqualTo(thread(report, "lock-right").path("id").asLong());
        JsonNode monitorLeft = thread(report, "monitor-left");
        assertThat(monitorLeft.path("wait").asText()).isEqualTo("enter");
        assertThat(monitorLeft.path("owned").get(0).path("type").asText()).isEqualTo(FIXTURE + "$Left");
        assertThat(monitorLeft.path("awaited").path("type").asText()).isEqualTo(FIXTURE + "$Right");

        Cli.Run text = attach(false, "monitors", "threads");
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out())
                .containsPattern("Suspended the target for \\d+ ms to read its monitors, then resumed it\\.")
                .containsPattern("deadlock: monitor-(left holds " + monitor + "|right holds " + otherMonitor + ")")
                .containsPattern("monitor-right +holds " + otherMonitor + "; blocked entering " + monitor + " held by monitor-left \\(\\d+\\)")
                .containsPattern("lock-right +holds " + sync + " \\(j\\.u\\.c\\.\\); parked on " + sync + " \\(j\\.u\\.c\\.\\) held by lock-left");
        // The monitors were read and let go: the target runs on.
        assertThat(text.out()).containsPattern("main +\\S+ +platform +no");
    }

    @Test
    void classesListMatchesWithTheirLoaderAndCountWhatTheyLeaveOut() {
        Cli.Run json = attach(true, "classes " + FIXTURE + "*", "classes *", "classes NoSuchClassAnywhere", "classes");
        assertThat(json.results().stream().filter(r -> r.path("command").asText().equals("classes")).toList()).hasSize(4);
        JsonNode fixture = json.result("classes", 0);
        assertThat(fixture.path("classes").findValuesAsText("class"))
                .contains(FIXTURE, FIXTURE + "$Left", FIXTURE + "$Right", FIXTURE + "$Widget").isSorted();
        assertThat(fixture.path("classes").get(0).path("loader").asText()).startsWith("ClassLoaders$AppClassLoader@");
        assertThat(fixture.path("omitted").asInt()).isZero();
        JsonNode everything = json.result("classes", 1);
        assertThat(everything.path("classes")).hasSize(50);
        assertThat(everything.path("total").asInt()).isGreaterThan(300);
        assertThat(everything.path("omitted").asInt()).isEqualTo(everything.path("total").asInt() - 50);
        assertThat(json.result("classes", 2).path("total").asInt()).isZero();
        assertThat(json.result("classes", 3).path("error").asText())
                .isEqualTo("Give a pattern: classes PATTERN [MAX], for example classes Order or classes com.acme.*Service.");

        Cli.Run text = attach(false, "classes Contention$W", "classes java.lang.String 2", "classes NoSuchClassAnywhere");
        assertThat(text.out())
                .containsPattern("  " + FIXTURE.replace(".", "\\.") + "\\$Widget +ClassLoaders\\$AppClassLoader@\\d+")
                .containsPattern("java\\.lang\\.String +bootstrap")
                .containsPattern("  … and \\d+ more \\(\\d+ match; narrow the pattern or give a larger MAX\\)")
                .contains("No loaded class matches 'NoSuchClassAnywhere'; a class shows here once it has loaded.");
    }

    @Test
    void methodsShowSignaturesLinesAndMarks() {
        Cli.Run json = attach(true, "methods " + FIXTURE, "methods Contention$Widget", "methods java.lang.Object", "methods NoSuchClassAnywhere");
        JsonNode methods = json.result("methods", 0);
        assertThat(methods.path("class").asText()).isEqualTo(FIXTURE);
        JsonNode lockInTurn = method(methods, "lockInTurn");
        assertThat(lockInTurn.path("signature").asText())
                .isEqualTo("void lockInTurn(java.util.concurrent.locks.ReentrantLock, java.util.concurrent.locks.ReentrantLock,"
                        + " java.util.concurrent.CountDownLatch)");
        assertThat(lockInTurn.path("static").asBoolean()).isTrue();
        int deadlockLine = Markers.line(Contention.class, "lock-deadlock");
        assertThat(lockInTurn.path("firstLine").asInt()).isLessThan(deadlockLine);
        assertThat(lockInTurn.path("lastLine").asInt()).isGreaterThan(deadlockLine);
        assertThat(method(json.result("methods", 1), "size").path("signature").asText()).isEqualTo("int size()");
        assertThat(method(json.result("methods", 2), "hashCode").path("native").asBoolean()).isTrue();
        assertThat(json.result("methods", 3).path("error").asText()).isEqualTo("No loaded class is named NoSuchClassAnywhere;"
                + " `classes NoSuchClassAnywhere` lists the loaded classes whose names contain it (a class that has not loaded yet has nothing to show).");
        assertThat(json.result("methods", 3).path("errorKind").asText()).isEqualTo("not_found");

        Cli.Run text = attach(false, "methods " + FIXTURE, "methods java.lang.Object");
        assertThat(text.out())
                .containsPattern(FIXTURE.replace(".", "\\.") + " \\(ClassLoaders\\$AppClassLoader@\\d+\\), \\d+ methods:")
                .containsPattern("  lines \\d+-\\d+ +static void main\\(java\\.lang\\.String\\[\\]\\)")
                .containsPattern("\n {17}native int hashCode\\(\\)");
    }

    @Test
    void instancesCountTheHeapAndShowTheFirstOnesToExpand() {
        Cli.Run json = attach(true, "instances " + FIXTURE + "$Widget 2", "instances Contention$Widget 0", "instances NoSuchClassAnywhere",
                "instances " + FIXTURE + "$Widget many");
        JsonNode widgets = json.result("instances", 0);
        JsonNode type = widgets.path("types").get(0);
        assertThat(type.path("class").asText()).isEqualTo(FIXTURE + "$Widget");
        assertThat(type.path("count").asLong()).isEqualTo(3);
        assertThat(type.path("instances")).hasSize(2);
        assertThat(type.path("instances").get(0).path("valueType").asText()).isEqualTo(FIXTURE + "$Widget");
        assertThat(type.path("instances").get(0).path("ref").asLong()).isPositive();
        assertThat(type.path("instances").get(0).path("value").asText()).matches("Widget\\[name=\"(bolt|nut|gear)\", size=[123]\\]");
        JsonNode bySimpleName = json.result("instances", 1).path("types").get(0);
        assertThat(bySimpleName.path("count").asLong()).isEqualTo(3);
        assertThat(bySimpleName.path("instances")).isEmpty();
        assertThat(json.result("instances", 2).path("ok").asBoolean()).isFalse();
        assertThat(json.result("instances", 2).path("error").asText()).startsWith("No loaded class is named NoSuchClassAnywhere;");
        assertThat(json.result("instances", 3).path("error").asText()).isEqualTo("'many' is not a number of instances; give a whole number.");

        long ref = type.path("instances").get(0).path("ref").asLong();
        Cli.Run text = attach(false, "instances " + FIXTURE + "$Widget 3");
        assertThat(text.out()).containsPattern(FIXTURE.replace(".", "\\.") + "\\$Widget \\(ClassLoaders\\$AppClassLoader@\\d+\\): 3 instances;"
                        + " `print @REF` shows one's fields")
                .containsPattern("  @" + ref + "  Widget\\[name=\"(bolt|nut|gear)\", size=[123]\\]");

        Cli.Run expanded = attach(true, "instances " + FIXTURE + "$Widget 1", "print @" + ref);
        JsonNode printed = expanded.result("print", 0);
        assertThat(printed.path("ok").asBoolean()).as(expanded.toString()).isTrue();
        assertThat(printed.path("variables").findValuesAsText("name")).containsExactly("name", "size");
    }

    @Test
    void longThreadNamesAreCutToTheWidthInTextAndWholeInJson() {
        Cli.Run text = attach(false, "threads");
        assertThat(text.exit()).as(text.toString()).isZero();
        String cut = Contention.LONG_NAME.substring(0, 100 - 39 - 1) + "…";
        List<String> rows = text.out().lines().filter(line -> line.contains("qtp1915318863")).toList();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row).contains(cut + "  ").doesNotContain(Contention.LONG_NAME);
            assertThat(row.length()).isLessThanOrEqualTo(100);
        });
        assertThat(text.out().lines().filter(line -> line.contains("monitor-left"))).singleElement()
                .satisfies(row -> assertThat(row).contains("monitor-left ").doesNotContain("…"));

        Cli.Run json = attach(true, "threads");
        assertThat(json.result("threads", 0).path("threads").findValuesAsText("name")).contains(Contention.LONG_NAME);
    }

    private static JsonNode thread(JsonNode report, String name) {
        for (JsonNode thread : report.path("threads")) {
            if (thread.path("name").asText().equals(name)) {
                return thread;
            }
        }
        throw new AssertionError("no thread " + name + " in " + report);
    }

    private static JsonNode method(JsonNode methods, String name) {
        for (JsonNode method : methods.path("methods")) {
            if (method.path("name").asText().equals(name)) {
                return method;
            }
        }
        throw new AssertionError("no method " + name + " in " + methods);
    }
}
