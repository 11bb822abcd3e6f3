package dev.sonde.dap.server;

import com.google.gson.JsonObject;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.ExceptionBreakpointsFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/** The protocol itself, no target needed: capabilities, and bad requests answered with errors while the adapter serves on. */
class ProtocolTest {

    private static DapListener listener;

    @BeforeAll
    static void listen() {
        listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(new TestTargets(), DapOptions.DEFAULT));
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void capabilitiesAreExactlyWhatWorks() {
        try (DapClient client = DapClient.connect(listener.address())) {
            Capabilities capabilities = client.initialize();
            assertThat(capabilities.getSupportsConfigurationDoneRequest()).isTrue();
            assertThat(capabilities.getSupportsFunctionBreakpoints()).isTrue();
            assertThat(capabilities.getSupportsConditionalBreakpoints()).isTrue();
            assertThat(capabilities.getSupportsHitConditionalBreakpoints()).isTrue();
            assertThat(capabilities.getSupportsLogPoints()).isTrue();
            assertThat(capabilities.getSupportsExceptionFilterOptions()).isTrue();
            assertThat(capabilities.getSupportsExceptionInfoRequest()).isTrue();
            assertThat(capabilities.getSupportsEvaluateForHovers()).isTrue();
            assertThat(capabilities.getSupportsSetVariable()).isTrue();
            assertThat(capabilities.getSupportsDelayedStackTraceLoading()).isTrue();
            assertThat(capabilities.getSupportsTerminateRequest()).isTrue();
            assertThat(capabilities.getSupportTerminateDebuggee()).isTrue();
            assertThat(capabilities.getSupportsDataBreakpoints()).isTrue();
            assertThat(capabilities.getSupportsLoadedSourcesRequest()).isTrue();
            assertThat(Arrays.stream(capabilities.getExceptionBreakpointFilters()).map(ExceptionBreakpointsFilter::getFilter))
                    .containsExactly("caught", "uncaught");
            // Not offered: no support behind them.
            assertThat(capabilities.getSupportsStepBack()).isNull();
            assertThat(capabilities.getSupportsRestartRequest()).isNull();
            assertThat(capabilities.getSupportsExceptionOptions()).isNull();
            assertThat(capabilities.getSupportsSteppingGranularity()).isNull();
            assertThat(capabilities.getSupportsCancelRequest()).isNull();
        }
    }

    @Test
    void badRequestsGetOneSentenceErrorsAndTheAdapterServesOn() {
        try (RawDap raw = new RawDap(listener.address())) {
            raw.send("{\"seq\":1,\"type\":\"request\",\"command\":\"goto\",\"arguments\":{\"threadId\":1,\"targetId\":2}}");
            assertError(raw.response(), 1, "goto", "Sonde's debug adapter does not support the 'goto' request");

            raw.send("{\"seq\":2,\"type\":\"request\",\"command\":\"fly\"}");
            assertError(raw.response(), 2, "fly", "does not support the 'fly' request");

            raw.send("{\"seq\":3,\"type\":\"request\",\"command\":\"stackTrace\",\"arguments\":{\"threadId\":\"main\"}}");
            assertError(raw.response(), 3, "stackTrace", "argument 'threadId' of the 'stackTrace' request cannot be read");

            raw.send("{\"seq\":4,\"type\":\"request\",\"command\":\"setBreakpoints\"}");
            assertError(raw.response(), 4, "setBreakpoints", "The 'setBreakpoints' request needs arguments");

            raw.send("{\"seq\":5,\"type\":\"request\",\"command\":\"setBreakpoints\",\"arguments\":{\"breakpoints\":[]}}");
            assertError(raw.response(), 5, "setBreakpoints", "needs the 'source' argument");

            raw.send("{\"seq\":6,\"type\":\"request\",\"command\":\"threads\"}");
            assertError(raw.response(), 6, "threads", "No program is being debugged yet; send a launch or attach request first.");

            raw.send("{\"seq\":7,\"type\":\"request\",\"command\":\"launch\",\"arguments\":{\"classPaths\":\"/tmp\"}}");
            assertError(raw.response(), 7, "launch", "The 'launch' argument 'classPaths' must be a list of strings");

            raw.send("{\"seq\":8,\"type\":\"request\",\"command\":\"attach\",\"arguments\":{\"hostName\":\"localhost\"}}");
            assertError(raw.response(), 8, "attach", "needs the 'port' argument");

            raw.send("{\"seq\":9,\"type\":\"request\",\"command\":\"continue\",\"arguments\":{\"threadId\":4294967296}}");
            assertError(raw.response(), 9, "continue", "The argument 'threadId' of the 'continue' request cannot be read (wrong type, or a number out of range)");

            raw.send("{\"seq\":10,\"type\":\"request\",\"command\":\"pause\",\"arguments\":{\"threadId\":1.5}}");
            assertError(raw.response(), 10, "pause", "The argument 'threadId' of the 'pause' request cannot be read");

            raw.send("{\"seq\":11,\"type\":\"request\",\"command\":\"attach\",\"arguments\":{\"port\":18446744073709556411}}");
            assertError(raw.response(), 11, "attach", "The 'attach' argument 'port' must be a whole number");

            raw.send("{\"seq\":12,\"type\":\"request\",\"command\":\"initialize\",\"arguments\":{\"adapterID\":\"sonde\"}}");
            JsonObject initialized = raw.response();
            assertThat(initialized.get("request_seq").getAsInt()).isEqualTo(12);
            assertThat(initialized.get("success").getAsBoolean()).isTrue();
            assertThat(initialized.getAsJsonObject("body").get("supportsConfigurationDoneRequest").getAsBoolean()).isTrue();
        }
    }

    static void assertError(JsonObject response, int requestSeq, String command, String message) {
        assertThat(response.get("request_seq").getAsInt()).isEqualTo(requestSeq);
        assertThat(response.get("command").getAsString()).isEqualTo(command);
        assertThat(response.get("success").getAsBoolean()).isFalse();
        String text = response.get("message").getAsString();
        assertThat(text).contains(message).endsWith(".").doesNotContain("\n").doesNotContain("Exception");
        assertThat(response.has("body")).isFalse();
    }
}
