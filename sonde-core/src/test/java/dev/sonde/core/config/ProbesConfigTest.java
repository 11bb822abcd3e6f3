package dev.sonde.core.config;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The {@code probes:} section: how a debug session's probes run, and the safety budgets of in-process probes. */
class ProbesConfigTest {

    @TempDir
    Path dir;

    @Test
    void theBudgetsAreOnByDefault() {
        SondeConfig.Probes probes = ConfigLoader.load(null, dir, Map.of()).config().probes();
        assertThat(probes).isEqualTo(new SondeConfig.Probes("auto", 100, 1.0, Duration.ofSeconds(10), Duration.ofHours(1), 32, 65536));
        assertThat(ConfigLoader.load(null, dir, Map.of()).describe()).contains("probes:\n  mode: auto   # default\n  linesPerSecond: 100   # default",
                "  cpuPercent: 1.0   # default", "  cpuWindow: 10s   # default", "  expiry: 1h   # default");
    }

    @Test
    void theFileAndTheEnvironmentChangeThem() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "probes:\n  cpuPercent: 2.5\n  expiry: 30m\n  maxLive: 8\n");
        SondeConfig.Probes probes = ConfigLoader.load(null, dir, Map.of("SONDE_PROBES_LINES_PER_SECOND", "500")).config().probes();
        assertThat(probes.cpuPercent()).isEqualTo(2.5);
        assertThat(probes.expiry()).isEqualTo(Duration.ofMinutes(30));
        assertThat(probes.maxLive()).isEqualTo(8);
        assertThat(probes.linesPerSecond()).isEqualTo(500);
        assertThat(probes.cpuWindow()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void aBadBudgetIsOneSentenceSayingWhatToUse() throws IOException {
        Map<String, String> cases = Map.of(
                "probes:\n  cpuPercent: 0\n", "probes.cpuPercent is 0.0; use a share of one core above 0 and at most 100 (percent), like 1.",
                "probes:\n  cpuPercent: 150\n", "probes.cpuPercent is 150.0; use a share of one core above 0 and at most 100 (percent), like 1.",
                "probes:\n  linesPerSecond: 0\n", "probes.linesPerSecond is 0; use at least 1 line a second, like 100.",
                "probes:\n  cpuWindow: 100ms\n", "probes.cpuWindow is 100ms; use at least 1s, like 10s.",
                "probes:\n  expiry: 0s\n", "probes.expiry is 0s; use at least 1s, like 1h.",
                "probes:\n  maxLive: 0\n", "probes.maxLive is 0; allow at least 1 probe, like 32.",
                "probes:\n  snapshotBytes: 10\n", "probes.snapshotBytes is 10; use at least 1024, like 65536 (64 KiB).");
        for (Map.Entry<String, String> bad : cases.entrySet()) {
            Files.writeString(dir.resolve("sonde.yaml"), bad.getKey());
            assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of())).as(bad.getKey())
                    .isInstanceOf(SondeException.class).hasMessage(bad.getValue());
        }
        Files.writeString(dir.resolve("sonde.yaml"), "probes:\n  cpuBudget: 2\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of())).hasMessageStartingWith(dir.resolve("sonde.yaml") + ", line ")
                .hasMessageEndingWith(": unknown key 'probes.cpuBudget'; known keys under probes: cpuPercent, cpuWindow, expiry, linesPerSecond, maxLive,"
                + " mode, snapshotBytes.");
    }
}
