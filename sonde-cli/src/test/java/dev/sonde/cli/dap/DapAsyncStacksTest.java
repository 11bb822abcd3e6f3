package dev.sonde.cli.dap;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sonde.fixtures.AsyncChains;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A DAP client's stackTrace at a stop in scheduled work: the thread's frames, a label frame, then the scheduling stack. */
class DapAsyncStacksTest {

    @Test
    @Timeout(120)
    void stackTraceAppendsTheSchedulingStackAfterALabel(@TempDir Path workspace) throws Exception {
        Path source = DapTestSupport.sourceRoot(workspace, AsyncChains.class).resolve("dev/sonde/fixtures/AsyncChains.java");
        Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
        try {
            DapStream dap = new DapStream(sonde.getInputStream(), sonde.getOutputStream());
            dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
            JsonObject arguments = new JsonObject();
            arguments.addProperty("mainClass", AsyncChains.class.getName());
            JsonArray classPaths = new JsonArray();
            classPaths.add(Markers.classPath().toString());
            arguments.add("classPaths", classPaths);
            arguments.addProperty("vmArgs", "-XX:TieredStopAtLevel=1");
            JsonObject launched = dap.response(dap.request("launch", arguments.toString()));
            assertThat(launched.get("success").getAsBoolean()).as(launched.toString()).isTrue();
            dap.until(DapStream.event("initialized"));
            dap.response(dap.request("setBreakpoints", "{\"source\":{\"path\":\"" + source + "\"},\"breakpoints\":[{\"line\":"
                    + Markers.line(AsyncChains.class, "applied") + "}]}"));
            dap.response(dap.request("configurationDone", null));
            JsonObject stopped = dap.until(DapStream.event("stopped"));
            int threadId = stopped.getAsJsonObject("body").get("threadId").getAsInt();

            JsonObject trace = dap.response(dap.request("stackTrace", "{\"threadId\":" + threadId + "}"));
            assertThat(trace.get("success").getAsBoolean()).as(trace.toString()).isTrue();
            JsonArray frames = trace.getAsJsonObject("body").getAsJsonArray("stackFrames");
            List<JsonObject> all = new ArrayList<>();
            for (JsonElement frame : frames) {
                all.add(frame.getAsJsonObject());
            }
            assertThat(trace.getAsJsonObject("body").get("totalFrames").getAsInt()).isEqualTo(all.size());
            int label = indexOf(all, f -> hint(f).equals("label"));
            assertThat(label).as(trace.toString()).isPositive();
            assertThat(all.get(label).get("name").getAsString()).startsWith("— scheduled by thenApplyAsync on \"main\", ");
            List<JsonObject> scheduling = all.subList(label + 1, all.size());
            JsonObject caller = scheduling.stream().filter(f -> f.get("name").getAsString().contains("chainBilling")).findFirst().orElseThrow();
            assertThat(hint(caller)).isEmpty();
            assertThat(caller.getAsJsonObject("source").get("path").getAsString()).isEqualTo(source.toString());
            assertThat(caller.get("line").getAsInt()).isPositive();
            assertThat(hint(scheduling.get(0))).as("CompletableFuture's own frames are folded").isEqualTo("subtle");

            JsonObject page = dap.response(dap.request("stackTrace", "{\"threadId\":" + threadId + ",\"startFrame\":" + label + ",\"levels\":2}"));
            JsonArray paged = page.getAsJsonObject("body").getAsJsonArray("stackFrames");
            assertThat(paged.size()).isEqualTo(2);
            assertThat(hint(paged.get(0).getAsJsonObject())).isEqualTo("label");
            dap.response(dap.request("disconnect", null));
        } finally {
            DapTestSupport.destroy(sonde);
        }
    }

    private static String hint(JsonObject frame) {
        return frame.has("presentationHint") ? frame.get("presentationHint").getAsString() : "";
    }

    private static int indexOf(List<JsonObject> frames, java.util.function.Predicate<JsonObject> test) {
        for (int i = 0; i < frames.size(); i++) {
            if (test.test(frames.get(i))) {
                return i;
            }
        }
        return -1;
    }
}
