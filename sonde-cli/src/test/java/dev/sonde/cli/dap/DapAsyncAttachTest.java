package dev.sonde.cli.dap;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.sonde.cli.AsyncAfterAttachTarget;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.AsyncAfterAttach;
import dev.sonde.fixtures.Markers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DAP {@code attach} to a JVM of this machine loads the Sonde agent capturing async stacks: an {@code output} event
 * says so, and stackTrace at a stop in a stage scheduled after it appends the scheduling stack after a label frame. A
 * JVM that refuses the Attach API gets one {@code output} sentence and the thread's own frames.
 */
class DapAsyncAttachTest {

    private static final int QUOTED = Markers.line(AsyncAfterAttach.class, "quoted");

    @Test
    @Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void dapAttachLoadsTheAgentAndStackTraceShowsTheHandOff(@TempDir Path workspace) throws Exception {
        Path source = DapTestSupport.sourceRoot(workspace, AsyncAfterAttach.class).resolve("dev/sonde/fixtures/AsyncAfterAttach.java");
        try (ServerManager servers = new ServerManager()) {
            DebugServer target = AsyncAfterAttachTarget.start(servers, List.of(), "after-agent");
            Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
            try {
                Client dap = attach(sonde, target, source);
                SaidAndStopped events = sentenceAndStop(dap);
                JsonObject body = events.said().getAsJsonObject("body");
                assertThat(body.get("category").getAsString()).isEqualTo("console");
                assertThat(body.get("output").getAsString()).startsWith("async stacks: capturing hand-offs from now on (the Sonde agent loaded into "
                        + target.pid() + ")");

                List<JsonObject> frames = stackTrace(dap, events.stopped().getAsJsonObject("body").get("threadId").getAsInt());
                int label = indexOfLabel(frames);
                assertThat(label).as(frames.toString()).isPositive();
                assertThat(frames.get(label).get("name").getAsString()).startsWith("— scheduled by supplyAsync on \"main\", ");
                JsonObject caller = frames.subList(label + 1, frames.size()).stream()
                        .filter(f -> f.get("name").getAsString().contains("quote")).findFirst().orElseThrow();
                assertThat(caller.getAsJsonObject("source").get("path").getAsString()).isEqualTo(source.toString());
                assertThat(caller.get("line").getAsInt()).isEqualTo(Markers.line(AsyncAfterAttach.class, "schedule-quote"));
                dap.response(dap.request("disconnect", "{\"terminateDebuggee\":false}"));
            } finally {
                DapTestSupport.destroy(sonde);
            }
        }
    }

    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aJvmThatRefusesAttachGetsAnOutputSentenceAndPlainStacks(@TempDir Path workspace) throws Exception {
        Path source = DapTestSupport.sourceRoot(workspace, AsyncAfterAttach.class).resolve("dev/sonde/fixtures/AsyncAfterAttach.java");
        try (ServerManager servers = new ServerManager()) {
            DebugServer target = AsyncAfterAttachTarget.start(servers, List.of("-XX:+DisableAttachMechanism"));
            Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
            try {
                Client dap = attach(sonde, target, source);
                SaidAndStopped events = sentenceAndStop(dap);
                JsonObject body = events.said().getAsJsonObject("body");
                assertThat(body.get("category").getAsString()).isEqualTo("console");
                assertThat(body.get("output").getAsString()).startsWith("async stacks: off, since the JVM " + target.pid() + " refused the Attach API (")
                        .endsWith("; `where` shows what JDWP alone gives.\n");

                List<JsonObject> frames = stackTrace(dap, events.stopped().getAsJsonObject("body").get("threadId").getAsInt());
                assertThat(frames).isNotEmpty();
                assertThat(indexOfLabel(frames)).as(frames.toString()).isNegative();
                assertThat(frames.get(0).get("line").getAsInt()).isEqualTo(QUOTED);
                dap.response(dap.request("disconnect", "{\"terminateDebuggee\":false}"));
            } finally {
                DapTestSupport.destroy(sonde);
            }
        }
    }

    /**
     * A DAP stream that keeps the events read while waiting for a response: the target runs from the attach on, so its
     * stop and the adapter's sentence may come before the configuration is done.
     */
    private record Client(DapStream dap, List<JsonObject> events) {

        JsonObject response(int requestSeq) {
            return dap.until(m -> {
                if (m.get("type").getAsString().equals("event")) {
                    events.add(m);
                    return false;
                }
                return m.get("type").getAsString().equals("response") && m.get("request_seq").getAsInt() == requestSeq;
            });
        }

        int request(String command, String argumentsJson) {
            return dap.request(command, argumentsJson);
        }

        /** The first event, kept or read now, that matches. */
        JsonObject event(java.util.function.Predicate<JsonObject> wanted) {
            for (java.util.Iterator<JsonObject> kept = events.iterator(); kept.hasNext(); ) {
                JsonObject event = kept.next();
                if (wanted.test(event)) {
                    kept.remove();
                    return event;
                }
            }
            return dap.until(wanted);
        }
    }

    /** Initializes, attaches to {@code target}, sets a breakpoint in the stage, and lets the target go on. */
    private static Client attach(Process sonde, DebugServer target, Path source) {
        Client dap = new Client(new DapStream(sonde.getInputStream(), sonde.getOutputStream()), new ArrayList<>());
        dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
        JsonObject attached = dap.response(dap.request("attach", "{\"port\":" + target.address().port() + "}"));
        assertThat(attached.get("success").getAsBoolean()).as(attached.toString()).isTrue();
        dap.event(DapStream.event("initialized"));
        JsonObject set = dap.response(dap.request("setBreakpoints", "{\"source\":{\"path\":\"" + source + "\"},\"breakpoints\":[{\"line\":"
                + QUOTED + "}]}"));
        assertThat(set.get("success").getAsBoolean()).as(set.toString()).isTrue();
        dap.response(dap.request("configurationDone", null));
        return dap;
    }

    /** The adapter's {@code async stacks:} sentence and the stop, in whichever order they come. */
    private record SaidAndStopped(JsonObject said, JsonObject stopped) {
    }

    /** Reads events until both the {@code async stacks:} sentence and the first stop came; the sentence comes once. */
    private static SaidAndStopped sentenceAndStop(Client dap) {
        JsonObject said = null;
        JsonObject stopped = null;
        while (said == null || stopped == null) {
            JsonObject message = dap.event(m -> asyncOutput(m) || DapStream.event("stopped").test(m));
            if (asyncOutput(message)) {
                assertThat(said).as("said once").isNull();
                said = message;
            } else {
                stopped = message;
            }
        }
        return new SaidAndStopped(said, stopped);
    }

    private static boolean asyncOutput(JsonObject message) {
        return DapStream.event("output").test(message)
                && message.getAsJsonObject("body").get("output").getAsString().startsWith("async stacks:");
    }

    private static List<JsonObject> stackTrace(Client dap, int threadId) {
        JsonObject trace = dap.response(dap.request("stackTrace", "{\"threadId\":" + threadId + "}"));
        assertThat(trace.get("success").getAsBoolean()).as(trace.toString()).isTrue();
        List<JsonObject> frames = new ArrayList<>();
        for (JsonElement frame : trace.getAsJsonObject("body").getAsJsonArray("stackFrames")) {
            frames.add(frame.getAsJsonObject());
        }
        return frames;
    }

    private static int indexOfLabel(List<JsonObject> frames) {
        for (int i = 0; i < frames.size(); i++) {
            JsonObject frame = frames.get(i);
            if (frame.has("presentationHint") && frame.get("presentationHint").getAsString().equals("label")) {
                return i;
            }
        }
        return -1;
    }
}
