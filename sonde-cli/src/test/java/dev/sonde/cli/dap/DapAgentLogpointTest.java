package dev.sonde.cli.dap;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonObject;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.Probed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** An editor's logpoint (DAP logMessage) on a JVM of this machine runs in the Sonde agent, not through JDWP. */
class DapAgentLogpointTest {

    private static final int LABEL = Markers.line(Probed.class, "order-label");

    @Test
    @Timeout(120)
    void aDapLogpointRunsInTheAgentAndWritesItsLinesToTheClient(@TempDir Path workspace) throws Exception {
        Path source = DapTestSupport.sourceRoot(workspace, Probed.class).resolve("dev/sonde/fixtures/Probed.java");
        try (ServerManager servers = new ServerManager()) {
            DebugServer target = servers.start(JvmLaunchSpec.of(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(),
                    Probed.class.getName())), (category, text) -> { });
            Process sonde = new ProcessBuilder(DapTestSupport.sonde("dap")).start();
            try {
                DapStream dap = new DapStream(sonde.getInputStream(), sonde.getOutputStream());
                dap.response(dap.request("initialize", "{\"adapterID\":\"sonde\"}"));
                JsonObject attached = dap.response(dap.request("attach", "{\"port\":" + target.address().port() + "}"));
                assertThat(attached.get("success").getAsBoolean()).as(attached.toString()).isTrue();
                dap.until(DapStream.event("initialized"));
                JsonObject set = dap.response(dap.request("setBreakpoints", "{\"source\":{\"path\":\"" + source + "\"},\"breakpoints\":[{\"line\":"
                        + LABEL + ",\"logMessage\":\"id={id} total={total}\"}]}"));
                assertThat(set.getAsJsonObject("body").getAsJsonArray("breakpoints").get(0).getAsJsonObject().get("verified").getAsBoolean())
                        .as(set.toString()).isTrue();
                dap.response(dap.request("configurationDone", null));

                List<String> lines = new ArrayList<>();
                Pattern line = Pattern.compile("id=(\\d+) total=(\\d+)\n");
                while (lines.size() < 20) {
                    JsonObject output = dap.until(DapStream.event("output"));
                    String text = output.getAsJsonObject("body").get("output").getAsString();
                    assertThat(text).doesNotContain("goes through JDWP");
                    Matcher m = line.matcher(text);
                    if (m.matches()) {
                        assertThat(Long.parseLong(m.group(2))).isEqualTo(3 * Long.parseLong(m.group(1)));
                        lines.add(text);
                    }
                }
                try (AgentClient agent = AgentClient.connect(target.pid())) {
                    JsonNode probes = agent.request(AgentClient.op("probes")).path("probes");
                    assertThat(probes).singleElement().satisfies(probe -> {
                        assertThat(probe.path("kind").asText()).isEqualTo("log");
                        assertThat(probe.path("location").asText()).isEqualTo(Probed.class.getName() + ":" + LABEL);
                    });
                }
                dap.response(dap.request("disconnect", "{\"terminateDebuggee\":false}"));
                try (AgentClient agent = AgentClient.connect(target.pid())) {
                    assertThat(agent.request(AgentClient.op("probes")).path("probes")).as("the session's probes leave with it").isEmpty();
                }
            } finally {
                DapTestSupport.destroy(sonde);
            }
        }
    }
}
