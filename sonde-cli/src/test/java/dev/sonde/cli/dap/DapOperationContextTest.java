package dev.sonde.cli.dap;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sonde.fixtures.InOperations;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DAP client's condition {@code @operation == "orders.load"} stops only inside that sonde-runtime operation; the
 * stopped event's description and text name the operation, and the top frame's first scope is a header naming it.
 */
class DapOperationContextTest {

    @Test
    @Timeout(120)
    void operationConditionStopsInsideTheOperationAndTheStopNamesIt(@TempDir Path workspace) throws Exception {
        Path source = DapTestSupport.sourceRoot(workspace, InOperations.class).resolve("dev/sonde/fixtures/InOperations.java");
        int line = Markers.line(InOperations.class, "price");
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
        try {
            DapStream dap = new DapStream(sonde.getInputStream(), sonde.getOutputStream());
            dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
            JsonObject arguments = new JsonObject();
            arguments.addProperty("mainClass", InOperations.class.getName());
            JsonArray classPaths = new JsonArray();
            // the test class path: the fixtures and sonde-runtime with what it uses
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                classPaths.add(entry);
            }
            arguments.add("classPaths", classPaths);
            arguments.addProperty("vmArgs", "-XX:TieredStopAtLevel=1");
            JsonObject launched = dap.response(dap.request("launch", arguments.toString()));
            assertThat(launched.get("success").getAsBoolean()).as(launched.toString()).isTrue();
            dap.until(DapStream.event("initialized"));

            JsonObject refused = dap.response(dap.request("setBreakpoints", breakpoint(source, line, "@op == orders.load")));
            JsonObject unverified = refused.getAsJsonObject("body").getAsJsonArray("breakpoints").get(0).getAsJsonObject();
            assertThat(unverified.get("verified").getAsBoolean()).as(refused.toString()).isFalse();
            assertThat(unverified.get("message").getAsString()).isEqualTo("A condition starting with @ reads @operation == \"orders.load\","
                    + " optionally followed by && EXPR; write it that way or drop the @.");
            dap.response(dap.request("setBreakpoints", breakpoint(source, line, "@operation == \\\"orders.load\\\"")));
            dap.response(dap.request("configurationDone", null));

            // price(1) runs outside any operation: the first stop is price(2), in orders.price inside orders.load
            JsonObject nested = dap.until(DapStream.event("stopped")).getAsJsonObject("body");
            assertThat(nested.get("description").getAsString()).isEqualTo("Paused on breakpoint in operation orders.price");
            assertThat(nested.get("text").getAsString()).containsPattern("^Operation orders\\.price \\(\\d+\\.2, \\d+ ms, on \"main\"\\)"
                    + " · scopes request$");
            int threadId = nested.get("threadId").getAsInt();
            JsonObject trace = dap.response(dap.request("stackTrace", "{\"threadId\":" + threadId + ",\"levels\":1}"));
            int frameId = trace.getAsJsonObject("body").getAsJsonArray("stackFrames").get(0).getAsJsonObject().get("id").getAsInt();
            JsonArray scopes = dap.response(dap.request("scopes", "{\"frameId\":" + frameId + "}")).getAsJsonObject("body").getAsJsonArray("scopes");
            JsonObject header = scopes.get(0).getAsJsonObject();
            assertThat(header.get("name").getAsString()).startsWith("Operation orders.price (").endsWith(" · scopes request");
            assertThat(header.get("variablesReference").getAsInt()).isZero();
            assertThat(names(scopes)).contains("Locals");

            dap.response(dap.request("continue", "{\"threadId\":" + threadId + "}"));
            JsonObject carried = dap.until(DapStream.event("stopped")).getAsJsonObject("body");
            assertThat(carried.get("description").getAsString()).as(carried.toString()).isEqualTo("Paused on breakpoint in operation orders.load");
            assertThat(carried.get("text").getAsString()).startsWith("Operation orders.load (").contains("on \"main\")");

            // price(4) runs in orders.save: no third stop, the target ends
            dap.response(dap.request("continue", "{\"threadId\":" + carried.get("threadId").getAsInt() + "}"));
            JsonObject next = dap.until(m -> DapStream.event("stopped").test(m) || DapStream.event("terminated").test(m));
            assertThat(next.get("event").getAsString()).as(next.toString()).isEqualTo("terminated");
            dap.response(dap.request("disconnect", null));
        } finally {
            DapTestSupport.destroy(sonde);
        }
    }

    private static String breakpoint(Path source, int line, String condition) {
        return "{\"source\":{\"path\":\"" + source + "\"},\"breakpoints\":[{\"line\":" + line + ",\"condition\":\"" + condition + "\"}]}";
    }

    private static java.util.List<String> names(JsonArray scopes) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (JsonElement scope : scopes) {
            names.add(scope.getAsJsonObject().get("name").getAsString());
        }
        return names;
    }
}
