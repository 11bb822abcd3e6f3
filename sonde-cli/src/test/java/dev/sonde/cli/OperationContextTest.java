package dev.sonde.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.fixtures.AsyncChains;
import dev.sonde.fixtures.InOperations;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop says what the stopped work belongs to: the first hand-off that scheduled it, and the sonde-runtime operation and
 * scopes open on the thread (read with JDWP field reads); {@code break LOC in OPERATION} stops only inside that operation.
 */
class OperationContextTest {

    private static final String PRICE = "InOperations.java:" + Markers.line(InOperations.class, "price");

    /** {@code sonde debug ARGS -- -cp <the test class path, which has sonde-runtime> InOperations}. */
    private static String[] inOperations(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), InOperations.class.getName()));
        return all.toArray(String[]::new);
    }

    @Test
    void theStopLineAndWhereNameTheOperationAndTheScopes() {
        Cli.Run run = Cli.run(Cli.input("break " + PRICE, "cont", "wait 30s", "cont", "wait 30s", "where", "cont", "wait 30s",
                "cont", "wait 30s", "quit"), inOperations(List.of("debug")));

        assertThat(run.exit()).as(run.toString()).isZero();
        String out = run.out();
        List<String> stops = new ArrayList<>();
        for (int at = out.indexOf("Breakpoint 1 hit"); at >= 0; ) {
            int next = out.indexOf("Breakpoint 1 hit", at + 1);
            stops.add(next < 0 ? out.substring(at) : out.substring(at, next));
            at = next;
        }
        assertThat(stops).as(run.toString()).hasSize(4);
        assertThat(stops.get(0)).doesNotContain("in operation", "scopes:");
        assertThat(stops.get(1)).containsPattern("\n  in operation orders\\.price \\(\\d+\\.2, started \\d+ ms earlier on \"main\"\\),"
                + " within orders\\.load \\(\\d+\\.1\\)\\R  scopes: request\\R");
        // `where` at the same stop: the operation lines, then the stack
        assertThat(stops.get(1)).containsSubsequence("  in operation orders.price (", "  scopes: request", "→ #0", "InOperations.price");
        // carried to the pool's thread by the wrapped executor: the operation of the thread that submitted the task
        assertThat(stops.get(2)).contains("(orders-worker)")
                .containsPattern("\n  in operation orders\\.load \\(\\d+\\.1, started \\d+ ms earlier on \"main\"\\)\\R")
                .doesNotContain("scopes:");
        assertThat(stops.get(3)).containsPattern("\n  in operation orders\\.save \\(\\d+\\.3, started \\d+ ms earlier on \"main\"\\)\\R");
    }

    @Test
    void breakInOperationStopsOnlyInsideItInnermostOrEnclosing() {
        Cli.Run run = Cli.run(inOperations(List.of("debug", "--json",
                "--exec", "break " + PRICE + " in",
                "--exec", "break " + PRICE + " in orders.load",
                "--exec", "cont", "--exec", "wait 30s",
                "--exec", "cont", "--exec", "wait 30s",
                "--exec", "cont", "--exec", "wait 30s",
                "--exec", "quit")));

        assertThat(run.exit()).as("the refused break fails the batch run: " + run).isEqualTo(ExitCodes.FAILED);
        JsonNode refused = run.result("break", 0);
        assertThat(refused.path("ok").asBoolean()).isFalse();
        assertThat(refused.path("error").asText()).isEqualTo("`in` takes the name of one sonde-runtime operation, for example:"
                + " break Orders.java:42 in orders.load (quote a name with spaces).");
        assertThat(run.result("break", 1).path("breakpoint").path("operation").asText()).isEqualTo("orders.load");

        List<JsonNode> stops = run.events("stopped").stream().filter(e -> e.path("reason").asText().equals("breakpoint")).toList();
        assertThat(stops).as(run.toString()).hasSize(2);
        JsonNode nested = stops.get(0).path("operation");
        assertThat(nested.path("name").asText()).isEqualTo("orders.price");
        assertThat(nested.path("id").asText()).matches("\\d+\\.2");
        assertThat(nested.path("ageMillis").asLong()).isNotNegative();
        assertThat(nested.path("thread").asText()).isEqualTo("\"main\"");
        assertThat(nested.path("enclosing").get(0).path("name").asText()).isEqualTo("orders.load");
        assertThat(stops.get(0).path("scopes").toString()).isEqualTo("[\"request\"]");
        JsonNode carried = stops.get(1);
        assertThat(carried.path("thread").path("name").asText()).isEqualTo("orders-worker");
        assertThat(carried.path("operation").path("name").asText()).isEqualTo("orders.load");
        assertThat(carried.path("operation").path("thread").asText()).isEqualTo("\"main\"");
        assertThat(carried.has("scopes")).isFalse();
        // price(1) ran outside any operation and price(4) in orders.save: the third wait sees the target end
        assertThat(run.result("wait", 2).path("outcome").asText()).as(run.toString()).isEqualTo("terminated");
    }

    @Test
    void theStopCarriesTheFirstHandOff() {
        String applied = "AsyncChains.java:" + Markers.line(AsyncChains.class, "applied");
        Cli.Run text = Cli.run(Cli.input("break " + applied, "cont", "wait 30s", "quit"), Cli.withTarget(List.of("debug"), AsyncChains.class));
        assertThat(text.exit()).as(text.toString()).isZero();
        assertThat(text.out()).as(text.toString()).containsPattern("Breakpoint 1 hit in thread \\d+ \\(billing-pool\\): .*\\R"
                + "  scheduled by thenApplyAsync on \"main\", \\d+ ms earlier at AsyncChains\\.chainBilling \\(AsyncChains\\.java:\\d+\\)\\R");

        Cli.Run json = Cli.run(Cli.withTarget(List.of("debug", "--json", "--exec", "break " + applied, "--exec", "cont", "--exec", "wait 30s",
                "--exec", "quit"), AsyncChains.class));
        assertThat(json.exit()).as(json.toString()).isZero();
        JsonNode stop = json.events("stopped").stream().filter(e -> e.path("reason").asText().equals("breakpoint")).findFirst().orElseThrow();
        JsonNode handOff = stop.path("async");
        assertThat(handOff.path("kind").asText()).as(json.toString()).isEqualTo("thenApplyAsync");
        assertThat(handOff.path("thread").asText()).isEqualTo("\"main\"");
        assertThat(handOff.path("ageMillis").asLong()).isNotNegative();
        assertThat(handOff.path("frames").findValuesAsText("method")).contains("chainBilling");
        assertThat(stop.has("operation")).isFalse();
    }
}
