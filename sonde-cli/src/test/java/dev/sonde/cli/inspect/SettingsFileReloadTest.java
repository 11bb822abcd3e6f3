package dev.sonde.cli.inspect;

import dev.sonde.fixtures.TargetJvm;
import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.cli.inspect.InspectCommandTest.Run;
import dev.sonde.demo.OrderService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

import static dev.sonde.cli.inspect.InspectCommandTest.inspect;
import static org.assertj.core.api.Assertions.assertThat;

/** A service started with {@code -Dsonde.runtime.config=FILE} follows edits of that file, read back with {@code sonde inspect}. */
class SettingsFileReloadTest {

    @TempDir
    Path dir;

    @Test
    void appliesTheFileAtStartFollowsEditsAndKeepsTheSettingsThroughABrokenEdit() throws IOException {
        Path file = Files.writeString(dir.resolve("runtime.yaml"), "stacks: {maxDepth: 12}\nkpi: {window: 2m}\n");
        try (TargetJvm service = TargetJvm.start("order service started", "-Dsonde.runtime.config=" + file,
                "-Dsonde.runtime.kpi.window=3m", "-cp", System.getProperty("java.class.path"), OrderService.class.getName())) {
            JsonNode started = json(service);
            assertThat(started.path("settings").path("stacks.maxDepth").asText()).isEqualTo("12");
            assertThat(started.path("settings").path("kpi.window").asText()).as("-D wins over the file").isEqualTo("3m");
            assertThat(started.path("settingsFile").path("path").asText()).isEqualTo(file.toString());
            assertThat(started.path("settingsFile").path("lastReloadAt").asText()).isNotEmpty();
            assertThat(started.path("settingsFile").path("lastError").isNull()).isTrue();

            Files.writeString(file, "stacks: {maxDepth: 40}\nkpi: {window: 2m}\n");
            await(service, "the edit applied", s -> s.path("settings").path("stacks.maxDepth").asText().equals("40"));

            Files.writeString(file, "stacks: {maxDepth: 0}\nscopes: {mode: OFF}\n");
            JsonNode broken = await(service, "the broken edit reported", s -> !s.path("settingsFile").path("lastError").isNull());
            assertThat(broken.path("settingsFile").path("lastError").asText())
                    .isEqualTo("Settings file " + file + ": Setting 'stacks.maxDepth' must be a whole number from 1 to 1024, not '0'.");
            assertThat(broken.path("settings").path("stacks.maxDepth").asText()).isEqualTo("40");
            assertThat(broken.path("settings").path("scopes.mode").asText()).as("all or nothing").isEqualTo("REPORT");
            assertThat(service.awaitOutput(line -> line.contains("Setting 'stacks.maxDepth' must be")
                    && line.endsWith("The settings in force stay as they were."), Duration.ofSeconds(5)))
                    .as("one log line in the service's output: " + service.output()).isTrue();
            Run text = inspect(service.pid());
            assertThat(text.out()).contains("Settings file: " + file + ", applied at ",
                    "its newest content was NOT applied, the settings in force stay: Settings file " + file
                            + ": Setting 'stacks.maxDepth' must be");

            Files.writeString(file, "stacks: {maxDepth: 16}\nscopes: {mode: OFF}\n");
            JsonNode fixed = await(service, "the fixed edit applied", s -> s.path("settingsFile").path("lastError").isNull());
            assertThat(fixed.path("settings").path("stacks.maxDepth").asText()).isEqualTo("16");
            assertThat(fixed.path("settings").path("scopes.mode").asText()).isEqualTo("OFF");
            assertThat(fixed.path("settings").path("kpi.window").asText()).isEqualTo("3m");
            assertThat(inspect(service.pid()).out()).doesNotContain("NOT applied");
        }
    }

    private static JsonNode json(TargetJvm service) {
        Run run = inspect(service.pid(), "--json");
        assertThat(run.exit()).as(run.toString()).isZero();
        return run.json();
    }

    private static JsonNode await(TargetJvm service, String what, Predicate<JsonNode> ready) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        JsonNode snapshot = json(service);
        while (!ready.test(snapshot)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the runtime never reported " + what + ":\n" + snapshot.toPrettyString());
            }
            TargetJvm.sleep(200);
            snapshot = json(service);
        }
        return snapshot;
    }
}
