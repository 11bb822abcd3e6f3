package dev.sonde.core.config;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsWhenThereIsNoFile() {
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of());
        assertThat(loaded.config()).isEqualTo(SondeConfig.DEFAULTS);
        assertThat(loaded.file()).isNull();
        assertThat(loaded.describe()).contains("timeout: 10s   # default", "bind: 127.0.0.1   # default");
    }

    @Test
    void yamlInTheWorkingDirectoryOverridesDefaults() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), """
                attach:
                  timeout: 3s
                values:
                  maxElements: 25
                stepping:
                  exclude: [java.*, org.slf4j.*]
                """);
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of());
        assertThat(loaded.config().attach().timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(loaded.config().values().maxElements()).isEqualTo(25);
        assertThat(loaded.config().values().maxStringLength()).isEqualTo(500);
        assertThat(loaded.config().stepping().exclude()).containsExactly("java.*", "org.slf4j.*");
        assertThat(loaded.sources().get("attach.timeout")).isEqualTo(new ConfigSource.File(dir.resolve("sonde.yaml"), true));
        assertThat(loaded.describe()).contains("maxElements: 25   # " + dir.resolve("sonde.yaml"));
    }

    @Test
    void jsonFileGivenExplicitly() throws IOException {
        Path file = dir.resolve("custom.json");
        Files.writeString(file, "{\"server\": {\"port\": 5005, \"allowRemote\": true}}");
        SondeConfig config = ConfigLoader.load(Path.of("custom.json"), dir, Map.of()).config();
        assertThat(config.server().port()).isEqualTo(5005);
        assertThat(config.server().allowRemote()).isTrue();
    }

    @Test
    void environmentOverridesTheFileAndFlagsOverrideTheEnvironment() throws IOException {
        Files.writeString(dir.resolve("sonde.yml"), "attach:\n  timeout: 3s\nconsole:\n  waitTimeout: 1m\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of(
                "SONDE_ATTACH_TIMEOUT", "750ms", "SONDE_VALUES_MAX_ELEMENTS", "4", "SONDE_SERVER_ALLOW_REMOTE", "yes",
                "SONDE_STEPPING_EXCLUDE", "java.*, kotlin.*"));
        assertThat(loaded.config().attach().timeout()).isEqualTo(Duration.ofMillis(750));
        assertThat(loaded.config().console().waitTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(loaded.config().values().maxElements()).isEqualTo(4);
        assertThat(loaded.config().server().allowRemote()).isTrue();
        assertThat(loaded.config().stepping().exclude()).isEqualTo(List.of("java.*", "kotlin.*"));
        assertThat(loaded.sources().get("attach.timeout")).isEqualTo(new ConfigSource.Environment("SONDE_ATTACH_TIMEOUT"));

        ConfigLoader.Loaded flagged = loaded.override("attach.timeout", "20s", "--timeout");
        assertThat(flagged.config().attach().timeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(flagged.describe()).contains("timeout: 20s   # flag --timeout");
        assertThat(loaded.config().attach().timeout()).isEqualTo(Duration.ofMillis(750));
    }

    @Test
    void configVariableNamesTheFile() throws IOException {
        Files.writeString(dir.resolve("elsewhere.yaml"), "session:\n  requestTimeout: 5s\n");
        SondeConfig config = ConfigLoader.load(null, dir, Map.of("SONDE_CONFIG", dir.resolve("elsewhere.yaml").toString())).config();
        assertThat(config.session().requestTimeout()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void unknownKeyNamesFileLineAndKnownKeys() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "attach:\n  timeout: 3s\n  retires: 4\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .isInstanceOf(SondeException.class)
                .hasMessage(dir.resolve("sonde.yaml") + ", line 3: unknown key 'attach.retires'; known keys under attach: timeout.");
    }

    @Test
    void badValueNamesFileLineAndKey() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "values:\n  maxElements: many\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .hasMessage(dir.resolve("sonde.yaml") + ", line 2, key 'values.maxElements': cannot read 'many' as a whole number; fix the value.");
        Files.writeString(dir.resolve("sonde.yaml"), "attach:\n  timeout: soon\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .hasMessage(dir.resolve("sonde.yaml") + ", line 2, key 'attach.timeout': cannot read 'soon' as a duration (like 10s); fix the value.");
    }

    @Test
    void brokenSyntaxNamesFileAndLine() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "attach:\n  timeout: 3s\n bad indent: [\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .isInstanceOf(SondeException.class)
                .hasMessageStartingWith(dir.resolve("sonde.yaml") + ", line 3")
                .hasMessageEndingWith("; fix the file's syntax.");
    }

    @Test
    void badEnvironmentValueNamesTheVariable() {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of("SONDE_ATTACH_TIMEOUT", "whenever")))
                .hasMessage("Environment variable SONDE_ATTACH_TIMEOUT='whenever' is not a duration; write it like 500ms, 10s or 2m.");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of("SONDE_SERVER_PORT", "99999")))
                .hasMessage("server.port is 99999; use 0 (any free port) or 1-65535.");
    }

    @Test
    void missingExplicitFileIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(Path.of("nope.yaml"), dir, Map.of()))
                .hasMessage("Config file nope.yaml (from --config) does not exist; check the path.");
    }

    @Test
    void emptyFileMeansDefaults() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "\n");
        assertThat(ConfigLoader.load(null, dir, Map.of()).config()).isEqualTo(SondeConfig.DEFAULTS);
    }

    @Test
    void runtimeSectionIsKeptForTheServiceAsDottedKeys() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), "runtime:\n  scopes:\n    mode: STRICT\n  kpi:\n    scopeViolationRate: 0.001\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of());
        assertThat(loaded.config().runtimeSettings()).containsExactly(
                Map.entry("scopes.mode", "STRICT"), Map.entry("kpi.scopeViolationRate", "0.001"));
        assertThat(loaded.describe()).contains("mode: STRICT   # " + dir.resolve("sonde.yaml"));
    }

    @Test
    void environmentNames() {
        assertThat(ConfigLoader.environmentName("values.maxStringLength")).isEqualTo("SONDE_VALUES_MAX_STRING_LENGTH");
    }

    @Test
    void durations() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("7")).isEqualTo(Duration.ofSeconds(7));
        assertThat(DurationText.parse("PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThatThrownBy(() -> DurationText.parse("later")).isInstanceOf(SondeException.class);
    }
}
