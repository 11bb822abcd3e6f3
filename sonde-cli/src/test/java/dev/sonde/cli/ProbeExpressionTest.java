package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.Checkout;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions and template expressions of `sonde probe`, compiled into a real JVM's code by the agent. */
class ProbeExpressionTest {

    @RegisterExtension
    static final ProbeTarget target = new ProbeTarget(Checkout.class);
    private static final String PRICE = "Checkout.java:" + Markers.line(Checkout.class, "price");

    /**
     * These tests are about expressions, not budgets: on a loaded machine the default 1 % CPU budget would switch the
     * busy probes off before the test reads them, so they run with the whole core.
     */
    private static Path unbudgeted;

    @BeforeAll
    static void writeTheSettings() throws IOException {
        unbudgeted = Files.createTempFile("sonde-probes-unbudgeted", ".yaml");
        Files.writeString(unbudgeted, "probes:\n  cpuPercent: 100\n");
    }

    @AfterAll
    static void deleteTheSettings() throws IOException {
        Files.deleteIfExists(unbudgeted);
    }

    @AfterEach
    void detach() {
        assertThat(probe("--exec", "detach", "--json").exit()).isZero();
    }

    @Test
    void aConditionSelectsTheHitsShortCircuitsAndPromotesNumbersAsJavaDoes() {
        Cli.Run run = probe("--json",
                "--exec", "log " + PRICE + " \"q={qty} c={coupon.length()} s={small * 2.5f} r={rate / 2} next={qty + 1L} ok={sku.startsWith(\\\"sku-\\\")}\""
                        + " if coupon != null && coupon.length() == 4 && small * 1000L > 10_000 && rate < 1",
                "--exec", "log " + PRICE + " \"never {qty}\" if qty < 0 || sku == null",
                "--exec", "wait 1500ms", "--exec", "probes");
        assertThat(run.exit()).as(run.toString()).isZero();
        List<JsonNode> logs = run.events("log");
        assertThat(logs).as(run.toString()).hasSizeGreaterThan(5).allSatisfy(log -> assertThat(log.path("probe").asInt())
                .isEqualTo(run.result("log", 0).path("probe").path("id").asInt()));
        Pattern expected = Pattern.compile("q=(\\d+) c=4 s=([0-9.]+) r=0.25 next=(\\d+) ok=true");
        for (JsonNode log : logs) {
            Matcher m = expected.matcher(log.path("text").asText());
            assertThat(m.matches()).as(log.toString()).isTrue();
            int qty = Integer.parseInt(m.group(1));
            assertThat(qty % 3).isNotZero();
            assertThat(qty % 100).isGreaterThan(10);
            assertThat(m.group(2)).isEqualTo(Float.toString((qty % 100) * 2.5f));
            assertThat(Long.parseLong(m.group(3))).isEqualTo(qty + 1L);
        }
        assertThat(run.events("error")).as("the && kept coupon.length() from a null coupon").isEmpty();
        // By id: under load the CPU budget may already have taken the busy first probe out of the list.
        int neverId = run.result("log", 1).path("probe").path("id").asInt();
        JsonNode never = java.util.stream.StreamSupport.stream(run.result("probes", 0).path("probes").spliterator(), false)
                .filter(p -> p.path("id").asInt() == neverId).findFirst().orElseThrow(() -> new AssertionError(run.toString()));
        assertThat(never.path("condition").asText()).isEqualTo("qty < 0 || sku == null");
        assertThat(never.path("printed").asLong()).isZero();
        assertThat(never.path("errors").asLong()).isZero();
    }

    @Test
    void privateFieldsOfAnotherClassStaticFieldsAndArraysAreRead() {
        Cli.Run run = probe("--json",
                "--exec", "log " + PRICE + " \"{ledger.entries} {Ledger.OWNER} {Checkout.calls > 0} {codes[1]} {codes.length} {this.codes[2] * qty}\""
                        + " if qty % 2 == 0",
                "--exec", "wait 1s");
        assertThat(run.exit()).as(run.toString()).isZero();
        List<JsonNode> logs = run.events("log");
        assertThat(logs).as(run.toString()).isNotEmpty();
        Pattern expected = Pattern.compile("42 acme true 5 3 (\\d+)");
        for (JsonNode log : logs) {
            Matcher m = expected.matcher(log.path("text").asText());
            assertThat(m.matches()).as(log.toString()).isTrue();
            assertThat(Long.parseLong(m.group(1)) % 16).isZero();
        }
    }

    @Test
    void anExpressionThatThrowsNeverReachesTheApplicationAndIsReportedOnce() {
        Cli.Run run = probe("--json",
                "--exec", "log " + PRICE + " \"q={qty} c={coupon.length()}\"",
                "--exec", "log " + PRICE + " \"long coupon {qty}\" if coupon.length() > 3",
                "--exec", "wait 1500ms", "--exec", "probes");
        assertThat(run.exit()).as(run.toString()).isZero();
        int text = run.result("log", 0).path("probe").path("id").asInt();
        int condition = run.result("log", 1).path("probe").path("id").asInt();
        List<JsonNode> logs = run.events("log");
        List<String> texts = logs.stream().filter(l -> l.path("probe").asInt() == text).map(l -> l.path("text").asText()).toList();
        assertThat(texts).as(run.toString()).hasSizeGreaterThan(20).allSatisfy(t -> {
            Matcher m = Pattern.compile("q=(\\d+) c=(.*)").matcher(t);
            assertThat(m.matches()).isTrue();
            assertThat(m.group(2)).isEqualTo(Integer.parseInt(m.group(1)) % 3 == 0 ? "<NullPointerException>" : "4");
        });
        assertThat(logs.stream().filter(l -> l.path("probe").asInt() == condition)).isNotEmpty();
        List<JsonNode> errors = run.events("error");
        assertThat(errors).as(run.toString()).hasSize(2);
        assertThat(errors).anySatisfy(e -> {
            assertThat(e.path("probe").asInt()).isEqualTo(condition);
            assertThat(e.path("text").asText()).startsWith("The condition 'coupon.length() > 3' threw java.lang.NullPointerException")
                    .contains("such hits count as false");
        });
        assertThat(errors).anySatisfy(e -> assertThat(e.path("text").asText()).startsWith("The value {coupon.length()} threw"));
        JsonNode listed = run.result("probes", 0).path("probes");
        // By id: under load the CPU budget may already have taken the busy first probe out of the list.
        JsonNode listedCondition = java.util.stream.StreamSupport.stream(listed.spliterator(), false)
                .filter(p -> p.path("id").asInt() == condition).findFirst().orElseThrow(() -> new AssertionError(run.toString()));
        assertThat(listedCondition.path("errors").asLong()).isGreaterThan(5);
        assertThat(target.jvm().output()).noneMatch(line -> line.contains("Exception") || line.contains("Error"));
    }

    @Test
    void aMethodCallIsRefusedUnlessInvokeIsAllowedExceptSideEffectFreeJdkMethods() {
        Cli.Run refused = probe("--json", "--exec", "log " + PRICE + " \"{ledger.count()}\"",
                "--exec", "log " + PRICE + " \"{sku.length()} {Math.max(qty, 3)} {java.util.Objects.isNull(coupon)}\" if sku.endsWith(\"7\")",
                "--exec", "wait 1s", "--exec", "detach");
        assertThat(refused.result("log", 0).path("error").asText()).isEqualTo(
                "'ledger.count()' calls Ledger.count, which could change the program; set the probe with --allow-invoke to run it.");
        assertThat(refused.events("log")).as(refused.toString()).isNotEmpty()
                .allSatisfy(log -> assertThat(log.path("text").asText()).matches("\\d \\d+ (true|false)"));
        Cli.Run allowed = probe("--json", "--allow-invoke",
                "--exec", "log " + PRICE + " \"{ledger.count()} {ledger.owner()}\" if ledger.count() == 42", "--exec", "wait 1s");
        assertThat(allowed.exit()).as(allowed.toString()).isZero();
        assertThat(allowed.events("log")).as(allowed.toString()).isNotEmpty()
                .allSatisfy(log -> assertThat(log.path("text").asText()).isEqualTo("42 acme/42"));
    }

    @Test
    void badExpressionsAreOneSentenceEachSayingWhatIsWrong() {
        Cli.Run run = probe("--json",
                "--exec", "log " + PRICE + " \"{qty}\" if qty >",
                "--exec", "log " + PRICE + " \"{qty}\" if qyt > 1",
                "--exec", "log " + PRICE + " \"{qty}\" if qty > sku",
                "--exec", "log " + PRICE + " \"{qty}\" if qty",
                "--exec", "log " + PRICE + " \"{qty = 3}\"",
                "--exec", "log " + PRICE + " \"{(Runnable) sku}\"",
                "--exec", "probes");
        assertThat(run.exit()).isEqualTo(ExitCodes.FAILED);
        assertThat(run.result("log", 0).path("error").asText()).startsWith("'qty >' is not a Java expression at column 6");
        assertThat(run.result("log", 1).path("error").asText()).isEqualTo("'qyt' (column 1) is neither a local variable in scope at this"
                + " line (qty, sku, coupon, small, rate, this) nor a field of dev.sonde.fixtures.Checkout; check the name (a variable"
                + " declared on this very line is not assigned yet).");
        assertThat(run.result("log", 2).path("error").asText()).isEqualTo("'qty' is an int; it cannot be compared with a String ('sku').");
        assertThat(run.result("log", 3).path("error").asText()).isEqualTo("The condition 'qty' is an int; a condition must be true or false, e.g. qty > 10.");
        assertThat(run.result("log", 4).path("error").asText()).startsWith("'qty = 3' assigns a value;");
        assertThat(run.result("log", 5).path("error").asText()).isEqualTo("'sku' is a String; it can never be a Runnable, so it cannot be cast.");
        assertThat(run.result("probes", 0).path("probes")).isEmpty();
    }

    private static Cli.Run probe(String... args) {
        List<String> all = new java.util.ArrayList<>(List.of("probe", target.pid(), "--config", unbudgeted.toString()));
        all.addAll(List.of(args));
        return Cli.run(all.toArray(String[]::new));
    }
}
