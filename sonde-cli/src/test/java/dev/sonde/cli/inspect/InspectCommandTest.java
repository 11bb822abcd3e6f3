package dev.sonde.cli.inspect;

import dev.sonde.dashboard.jvm.JvmConnection;
import dev.sonde.dashboard.jvm.RuntimeSnapshot;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.Main;
import dev.sonde.demo.OrderService;
import dev.sonde.fixtures.Locks;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;
import dev.sonde.fixtures.Sleeper;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sonde inspect} against real JVMs: the demo order service (with its opt-in deadlock), which uses
 * sonde-runtime, and the Sleeper and Locks fixtures, which do not.
 */
class InspectCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static TargetJvm demo;

    @BeforeAll
    static void startDemo() {
        demo = TargetJvm.start("order service started",
                "-cp", System.getProperty("java.class.path"), OrderService.class.getName(), "--deadlock");
    }

    @AfterAll
    static void stopDemo() {
        demo.close();
    }

    @Test
    void reportShowsOperationsViolationsLeaksRecoveryKpisAndSystem() {
        awaitSnapshot("a leaked session", s -> !s.path("resources").path("leaks").isEmpty());
        Run run = inspect(demo.pid());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(run.out())
                .startsWith("Sonde runtime in JVM " + demo.pid() + " (" + OrderService.class.getName() + "), running for ")
                .containsPattern("\n  order\\s+\\d+\\s+\\d+\\s+0\\s+0\\.0%")
                .containsPattern("\n  payment\\.charge\\s+\\d+\\s+\\d+\\s+[1-9]\\d*\\s+\\d+\\.\\d%")
                .containsPattern("WRONG_THREAD: Scope 'request' entered on main#\\d+ was exited on virtual#\\d+, a different thread\\.")
                .contains("entered at", "dev.sonde.demo.OrderService.submit(OrderService.java:")
                .containsPattern("session #\\d+ dev\\.sonde\\.demo\\.PaymentGateway\\$Session@\\w+ registered on virtual#\\d+: "
                        + "(still open after |garbage collected without being closed)")
                .contains("registered at", "dev.sonde.demo.PaymentGateway.open(PaymentGateway.java:")
                .containsPattern("\n  payments\\s+\\d+\\s+\\d+\\s+\\d+\\s+[1-9]\\d*\\s+0\\s+0\\s+0")
                .containsPattern("scope violation rate\\s+\\d+\\.\\d%\\s+goal below 0\\.1%\\s+MISSED")
                .containsPattern("session success rate\\s+\\S+\\s+goal above 99\\.0%")
                .contains("mean operation duration", "error recovery time", "Alerts: ")
                .containsPattern("\n  orders\\s+\\d+\\s+\\d+\\s+[1-9]\\d*")
                .contains("System", "heap", "threads: ");
        assertThat(run.err().lines().toList()).singleElement().asString().startsWith("JMX: ");
    }

    @Test
    void jsonIsTheRuntimeSnapshotWithThePid() {
        JsonNode snapshot = awaitSnapshot("a leaked session", s -> !s.path("resources").path("leaks").isEmpty());
        assertThat(snapshot.path("pid").asLong()).isEqualTo(demo.pid());
        assertThat(snapshot.path("mainClass").asText()).isEqualTo(OrderService.class.getName());
        assertThat(snapshot.path("runtime").asBoolean()).isTrue();
        assertThat(snapshot.path("platform").path("system").path("threadCount").asInt()).isPositive();
        assertThat(snapshot.path("platform").path("vmName").asText()).isNotBlank();
        assertThat(names(snapshot.path("operations").path("byName"), "name"))
                .contains("order", "order.validate", "order.price", "order.reserve", "order.pay", "order.confirm", "payment.charge");
        JsonNode charge = element(snapshot.path("operations").path("byName"), "name", "payment.charge");
        assertThat(charge.path("failed").asLong() + charge.path("timedOut").asLong()).isPositive();

        JsonNode violation = snapshot.path("scopes").path("recentViolations").get(0);
        assertThat(violation.path("kind").asText()).isEqualTo("WRONG_THREAD");
        assertThat(violation.path("owner").path("name").asText()).isEqualTo("main");
        assertThat(violation.path("seenOn").path("virtual").asBoolean()).isTrue();
        assertThat(violation.path("entryStack").get(0).asText()).contains("OrderService.submit");

        JsonNode leak = snapshot.path("resources").path("leaks").get(0);
        assertThat(leak.path("type").asText()).isEqualTo("session");
        assertThat(leak.path("reason").asText()).isIn("OLDER_THAN_THRESHOLD", "COLLECTED_WITHOUT_CLOSE");
        assertThat(leak.path("allocationStack").get(0).asText()).contains("PaymentGateway.open");

        JsonNode payments = element(snapshot.path("recovery"), "name", "payments");
        assertThat(payments.path("recovered").asLong()).isPositive();
        assertThat(payments.path("failedAfterRetries").asLong()).isZero();
        assertThat(names(snapshot.path("kpis").path("readings"), "name"))
                .containsExactly("scopeViolationRate", "sessionSuccessRate", "meanOperationDuration", "errorRecoveryTime");
        JsonNode violationRate = element(snapshot.path("kpis").path("readings"), "name", "scopeViolationRate");
        assertThat(violationRate.path("goal").asText()).isEqualTo("below");
        assertThat(violationRate.path("breached").asBoolean()).isTrue();
        assertThat(element(snapshot.path("executors"), "name", "orders").path("completed").asLong()).isPositive();
    }

    @Test
    void findsTheOptInDeadlockWithBothThreadsTheirLocksAndStacks() {
        JsonNode snapshot = awaitSnapshot("a deadlock", s -> !s.path("locks").path("deadlocks").isEmpty());
        JsonNode threads = snapshot.path("locks").path("deadlocks").get(0).path("threads");
        assertThat(names(threads, "thread", "name")).containsExactlyInAnyOrder("ledger-refunds", "ledger-audit");
        for (JsonNode thread : threads) {
            String other = thread.path("thread").path("name").asText().equals("ledger-refunds") ? "ledger-audit" : "ledger-refunds";
            assertThat(thread.path("state").asText()).isEqualTo("BLOCKED");
            assertThat(thread.path("waitingFor").asText()).startsWith("dev.sonde.demo.Ledger$");
            assertThat(thread.path("lockOwner").path("name").asText()).isEqualTo(other);
            assertThat(thread.path("locksHeld")).hasSize(1);
            assertThat(thread.path("stack").get(0).asText()).contains("dev.sonde.demo.Ledger");
        }

        Run text = inspect(demo.pid());
        assertThat(text.out()).containsPattern("Deadlocks: 1 now")
                .containsPattern("ledger-refunds#\\d+ BLOCKED, wants dev\\.sonde\\.demo\\.Ledger\\$Journal@\\w+ held by ledger-audit#\\d+, "
                        + "holds dev\\.sonde\\.demo\\.Ledger\\$Accounts@\\w+")
                .containsPattern("ledger-audit#\\d+ BLOCKED, wants dev\\.sonde\\.demo\\.Ledger\\$Accounts@\\w+ held by ledger-refunds#\\d+")
                .contains("dev.sonde.demo.Ledger.lambda$clerk$");
    }

    @Test
    void setChangesASettingWhileTheServiceRunsAndAnInvalidValueChangesNothing() {
        try {
            Run strict = inspect(demo.pid(), "--set", "scopes.mode=STRICT");
            assertThat(strict.exit()).as(strict.toString()).isZero();
            assertThat(strict.out()).containsPattern("scopes\\.mode\\s+[A-Z]+\\s+→\\s+STRICT");
            JsonNode snapshot = snapshot();
            assertThat(snapshot.path("settings").path("scopes.mode").asText()).isEqualTo("STRICT");
            assertThat(snapshot.path("scopes").path("mode").asText()).isEqualTo("STRICT");
            assertThat(demo.awaitOutput(line -> line.matches("order \\d+ failed: Scope 'request' entered on main#\\d+ .*"),
                    Duration.ofSeconds(5))).as("the service refuses the misuse in STRICT mode").isTrue();

            JsonNode before = snapshot().path("settings");
            Run bogus = inspect(demo.pid(), "--set", "kpi.window=20s", "--set", "scopes.mode=BOGUS");
            assertThat(bogus.exit()).as(bogus.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(bogus.err()).isEqualTo("error: Setting 'scopes.mode' must be one of OFF, REPORT, STRICT, not 'BOGUS'."
                    + System.lineSeparator());
            assertThat(bogus.out()).isEmpty();
            assertThat(snapshot().path("settings")).isEqualTo(before);
        } finally {
            assertThat(inspect(demo.pid(), "--set", "scopes.mode=REPORT").exit()).isZero();
        }
    }

    @Test
    void applyTakesTheRuntimeSectionOfAConfigFile(@TempDir Path dir) throws IOException {
        try {
            Path config = dir.resolve("sonde.yaml");
            Files.writeString(config, "attach:\n  timeout: 5s\nruntime:\n  kpi:\n    window: 45s\n  locks:\n    blockedThreshold: 3s\n");
            Run applied = inspect(demo.pid(), "--apply", config, "--json");
            assertThat(applied.exit()).as(applied.toString()).isZero();
            JsonNode changes = applied.json().path("applied");
            assertThat(names(changes, "key")).containsExactly("kpi.window", "locks.blockedThreshold");
            assertThat(names(changes, "to")).containsExactly("45s", "3s");
            JsonNode settings = snapshot().path("settings");
            assertThat(settings.path("kpi.window").asText()).isEqualTo("45s");
            assertThat(settings.path("locks.blockedThreshold").asText()).isEqualTo("3s");

            Path invalid = dir.resolve("invalid.yaml");
            Files.writeString(invalid, "runtime:\n  kpi:\n    window: 30s\n    sessionType: connection\n  monitor:\n    interval: soon\n");
            Run refused = inspect(demo.pid(), "--apply", invalid);
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.USAGE);
            assertThat(refused.err()).startsWith("error: Setting 'monitor.interval' must be ").contains("'soon'");
            assertThat(snapshot().path("settings")).isEqualTo(settings);

            Path withoutRuntime = dir.resolve("plain.yaml");
            Files.writeString(withoutRuntime, "attach:\n  timeout: 5s\n");
            Run nothing = inspect(demo.pid(), "--apply", withoutRuntime);
            assertThat(nothing.exit()).isEqualTo(ExitCodes.USAGE);
            assertThat(nothing.err()).startsWith("error: " + withoutRuntime + " has no settings under `runtime:`");

            Run missing = inspect(demo.pid(), "--apply", dir.resolve("absent.yaml"));
            assertThat(missing.exit()).isEqualTo(ExitCodes.USAGE);
            assertOneSentence(missing, "error: File " + dir.resolve("absent.yaml") + " (from --apply) does not exist; check the path.");
        } finally {
            assertThat(inspect(demo.pid(), "--set", "kpi.window=1m", "--set", "locks.blockedThreshold=5s").exit()).isZero();
        }
    }

    @Test
    void aJvmWithoutTheRuntimeGetsThePlatformViewButNoSettingsAndOneThatDoesNotAnswerOneSentence() throws Exception {
        try (TargetJvm sleeper = TargetJvm.start("sleeper up", "-cp", Markers.classPath().toString(), Sleeper.class.getName())) {
            Run text = inspect(sleeper.pid());
            assertThat(text.exit()).as(text.toString()).isZero();
            assertThat(text.out())
                    .startsWith("JVM " + sleeper.pid() + " (" + Sleeper.class.getName() + "), ")
                    .contains("sonde-runtime is not in this JVM, so this is what the JVM itself reports; for operations, scope "
                            + "misuse, leaks and KPIs, add the dev.sonde:sonde-runtime dependency and call SondeRuntime.install() "
                            + "at startup (docs/runtime.md).")
                    .contains("\nDeadlocks: none\n", "\nThreads waiting for a lock another thread holds: none\n", "\nSystem\n")
                    .containsPattern("\n  CPU: this process \\d+\\.\\d+%, the machine \\d+\\.\\d+% \\(\\d+ processors\\)")
                    .containsPattern("\n  memory: heap \\d+\\.\\d MB used of \\d+\\.\\d MB committed")
                    .containsPattern("\n  threads: \\d+ live \\(\\d+ daemon\\), peak \\d+, \\d+ started")
                    .containsPattern("\n  GC: (Copy|MarkSweepCompact) \\d+ in ");
            // What stays open in the JVM, in one line: a loopback connector, unless another tool had started the JDK's agent.
            assertThat(text.err()).satisfiesAnyOf(
                    err -> assertThat(err).matches("JMX: JVM " + sleeper.pid() + " keeps the connector Sonde started on 127\\.[0-9.]+:\\d+"
                            + " until it exits \\(loopback only, no password: any local user can connect; Sonde reuses it\\)\\.\\R"),
                    err -> assertThat(err).startsWith("JMX: used the JDK's local JMX agent JVM " + sleeper.pid() + " already ran; it listens on every interface"));

            Run json = inspect(sleeper.pid(), "--json");
            assertThat(json.exit()).as(json.toString()).isZero();
            JsonNode document = json.json();
            assertThat(document.path("pid").asLong()).isEqualTo(sleeper.pid());
            assertThat(document.path("mainClass").asText()).isEqualTo(Sleeper.class.getName());
            assertThat(document.path("runtime").asBoolean(true)).isFalse();
            assertThat(document.path("platform").path("system").path("heapUsed").asLong()).isPositive();
            assertThat(document.path("platform").path("deadlocks").isArray()).isTrue();
            assertThat(document.has("operations")).isFalse();

            Run set = inspect(sleeper.pid(), "--set", "scopes.mode=STRICT");
            assertThat(set.exit()).as(set.toString()).isEqualTo(ExitCodes.FAILED);
            assertOneSentence(set, "error: JVM " + sleeper.pid() + " (" + Sleeper.class.getName() + ") does not run sonde-runtime; "
                    + "add the dev.sonde:sonde-runtime dependency and call SondeRuntime.install() at startup, as docs/runtime.md shows.");

            sleeper.signal("STOP");
            Run silent = inspect(sleeper.pid(), "--timeout", "1s");
            sleeper.signal("CONT");
            assertThat(silent.exit()).as(silent.toString()).isEqualTo(ExitCodes.TIMEOUT);
            assertOneSentence(silent, "error: JVM " + sleeper.pid() + " did not answer within 1s (it may be hung, or held by a debugger); "
                    + "try again, or give it longer with --timeout.");
        }
        try (TargetJvm closed = TargetJvm.start("sleeper up", "-XX:+DisableAttachMechanism", "-cp", Markers.classPath().toString(),
                Sleeper.class.getName())) {
            Run refused = inspect(closed.pid());
            assertThat(refused.exit()).as(refused.toString()).isEqualTo(ExitCodes.UNREACHABLE);
            assertOneSentence(refused, "error: JVM " + closed.pid() + " does not accept attach requests (it runs with "
                    + "-XX:+DisableAttachMechanism); restart it without that flag to inspect it.");
        }
    }

    @Test
    void aJvmWithoutTheRuntimeShowsItsDeadlockAndBlockedThreadWithTheirOwners() {
        try (TargetJvm locks = TargetJvm.start("locks up", "-cp", Markers.classPath().toString(), Locks.class.getName())) {
            long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            Run text = inspect(locks.pid());
            while (!text.out().contains("Deadlocks: 1 now") || !text.out().contains("Threads waiting for a lock another thread holds: 1")) {
                assertThat(System.nanoTime()).as("the deadlock never showed:\n" + text).isLessThan(deadline);
                TargetJvm.sleep(200);
                text = inspect(locks.pid());
            }
            assertThat(text.out())
                    .containsPattern("\n    deadlock-left#\\d+ BLOCKED, wants dev\\.sonde\\.fixtures\\.Locks\\$Right@\\w+ held by "
                            + "deadlock-right#\\d+, holds dev\\.sonde\\.fixtures\\.Locks\\$Left@\\w+\n")
                    .containsPattern("\n    deadlock-right#\\d+ BLOCKED, wants dev\\.sonde\\.fixtures\\.Locks\\$Left@\\w+ held by "
                            + "deadlock-left#\\d+, holds dev\\.sonde\\.fixtures\\.Locks\\$Right@\\w+\n")
                    .containsPattern("\n  door-waiter#\\d+ BLOCKED, wants dev\\.sonde\\.fixtures\\.Locks\\$Door@\\w+ held by "
                            + "door-holder#\\d+, holds nothing\n")
                    .contains("dev.sonde.fixtures.Locks.takeInTurn(Locks.java:" + Markers.line(Locks.class, "deadlock") + ")");

            JsonNode platform = inspect(locks.pid(), "--json").json().path("platform");
            assertThat(names(platform.path("deadlocks").get(0).path("threads"), "thread", "name"))
                    .containsExactlyInAnyOrder("deadlock-left", "deadlock-right");
            assertThat(names(platform.path("blockedThreads"), "lockOwner", "name")).containsExactly("door-holder");
        }
    }

    @Test
    void aPidThatIsNoJvmGetsOneSentence() throws Exception {
        long unused = 4_000_000;
        while (ProcessHandle.of(unused).isPresent()) {
            unused--;
        }
        Run gone = inspect(unused);
        assertThat(gone.exit()).as(gone.toString()).isEqualTo(ExitCodes.UNREACHABLE);
        assertOneSentence(gone, "error: No process has pid " + unused + "; `sonde ps` lists the JVMs you can inspect.");

        Process sleep = new ProcessBuilder("sleep", "30").start();
        try {
            Run notJava = inspect(sleep.pid());
            assertThat(notJava.exit()).as(notJava.toString()).isEqualTo(ExitCodes.UNREACHABLE);
            assertOneSentence(notJava, "error: Process " + sleep.pid() + " is not a JVM that sonde can attach to; "
                    + "`sonde ps` lists the JVMs you can inspect.");
        } finally {
            sleep.destroyForcibly().waitFor();
        }

        Run self = inspect(ProcessHandle.current().pid());
        assertThat(self.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(self.err()).startsWith("error: Pid " + ProcessHandle.current().pid() + " is this sonde process itself");

        Run notANumber = inspect("orders");
        assertThat(notANumber.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(notANumber.err()).contains("PID").contains("--help");
    }

    @Test
    void helpTeachesWithExamples() {
        Run help = inspect("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("Usage: sonde inspect", "--json", "--set=KEY=VALUE", "--apply=FILE", "Examples:",
                "sonde inspect 4242 --set scopes.mode=STRICT", "docs/runtime.md");
    }

    private static void assertOneSentence(Run run, String expected) {
        assertThat(run.err()).isEqualTo(expected + System.lineSeparator());
        assertThat(run.out()).isEmpty();
    }

    /** The demo's snapshot once it shows what the test needs; the runtime's monitor looks every second. */
    private static JsonNode awaitSnapshot(String what, Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode snapshot = snapshot();
        while (!ready.test(snapshot)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runtime never reported " + what + ":\n" + snapshot.toPrettyString());
            }
            TargetJvm.sleep(200);
            snapshot = snapshot();
        }
        return snapshot;
    }

    private static JsonNode snapshot() {
        Run run = inspect(demo.pid(), "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        return run.json();
    }

    private static List<String> names(JsonNode array, String... path) {
        return StreamSupport.stream(array.spliterator(), false).map(node -> {
            JsonNode value = node;
            for (String field : path) {
                value = value.path(field);
            }
            return value.asText();
        }).toList();
    }

    private static JsonNode element(JsonNode array, String field, String value) {
        return StreamSupport.stream(array.spliterator(), false).filter(node -> node.path(field).asText().equals(value)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + field + " = " + value + " in " + array));
    }

    /** Runs {@code sonde inspect ARGS} in this process, as {@code dev.sonde.cli.Cli} runs any command. */
    static Run inspect(Object... args) {
        List<String> all = new ArrayList<>(List.of("inspect"));
        for (Object arg : args) {
            all.add(String.valueOf(arg));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try (PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
             PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8)) {
            exit = Main.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), outStream, errStream);
        }
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {

        JsonNode json() {
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not one JSON document:\n" + this, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
