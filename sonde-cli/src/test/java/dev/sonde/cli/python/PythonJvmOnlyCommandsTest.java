package dev.sonde.cli.python;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The console's JVM-only commands on a debugpy target: each refused in one sentence, and the session goes on. */
class PythonJvmOnlyCommandsTest {

    @BeforeAll
    static void needsDebugpy() {
        PythonCli.requireDebugpy();
    }

    @Test
    void classesMethodsInstancesAndMonitorsAreRefusedInOneSentence() {
        PythonCli.Run run = PythonCli.run("debug", "--json",
                "--exec", "classes shop",
                "--exec", "methods shop.Item",
                "--exec", "instances shop.Item 3",
                "--exec", "monitors",
                "--exec", "threads",
                "--python", PythonCli.script("shop.py"));

        for (String command : new String[] {"classes", "methods", "instances", "monitors"}) {
            JsonNode refused = run.result(command, 0);
            assertThat(refused.path("ok").asBoolean()).as(run.toString()).isFalse();
            assertThat(refused.path("errorKind").asText()).isEqualTo("unsupported");
            assertThat(refused.path("error").asText()).isEqualTo("`" + command + "` reads a JVM through JDWP, and this target is debugged"
                    + " over DAP (debugpy), which has no such request.");
        }
        assertThat(run.result("threads", 0).path("ok").asBoolean()).as(run.toString()).isTrue();
    }
}
