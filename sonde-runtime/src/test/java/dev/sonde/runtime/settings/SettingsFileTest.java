package dev.sonde.runtime.settings;

import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.threads.StackCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Settings files on disk, applied by calling {@link SettingsFile#check()} as the runtime's monitor thread does. */
class SettingsFileTest {

    @TempDir
    Path dir;

    private final RuntimeSettings settings = RuntimeSettings.defaults();

    @Test
    void readsYamlWithNestedOrDottedKeys() throws IOException {
        Path file = write("runtime.yaml", """
                # bare keys, nested or dotted
                scopes: {mode: strict}
                monitor:
                  interval: 250ms
                kpi.scopeViolationRate.max: 0.01
                operations:
                  enabled: false
                """);

        SettingsFile watched = new SettingsFile(file, settings, Map.of());

        assertThat(watched.check()).isTrue();
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.MONITOR_INTERVAL)).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.get(Setting.KPI_SCOPE_VIOLATION_RATE_MAX)).isEqualTo(0.01);
        assertThat(settings.get(Setting.OPERATIONS_ENABLED)).isFalse();
        assertThat(watched.status().lastError()).isNull();
        assertThat(watched.status().lastReloadAt()).isNotNull();
        assertThat(watched.check()).as("an unchanged file is not read again").isFalse();
    }

    @Test
    void readsJson() throws IOException {
        Path file = write("runtime.json", """
                {"scopes": {"mode": "OFF", "entryStacks": "ALL"}, "stacks.maxDepth": 12, "recovery": {"jitter": 0.25}}
                """);

        new SettingsFile(file, settings, Map.of()).check();

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.OFF);
        assertThat(settings.get(Setting.SCOPES_ENTRY_STACKS)).isEqualTo(StackCapture.ALL);
        assertThat(settings.get(Setting.STACKS_MAX_DEPTH)).isEqualTo(12);
        assertThat(settings.get(Setting.RECOVERY_JITTER)).isEqualTo(0.25);
    }

    @Test
    void readsPropertiesWithOrWithoutThePrefix() throws IOException {
        Path file = write("runtime.properties", """
                # properties
                sonde.runtime.scopes.mode = STRICT
                history.size=64
                """);

        new SettingsFile(file, settings, Map.of()).check();

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(64);
    }

    @Test
    void readsOnlyTheRuntimeSectionOfASondeYaml() throws IOException {
        Path file = write("sonde.yaml", """
                attach:
                  timeout: 10s
                server: {port: 0}
                runtime:
                  scopes:
                    mode: STRICT
                  resources.leakAge: 2m
                """);

        new SettingsFile(file, settings, Map.of()).check();

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.RESOURCES_LEAK_AGE)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void aBrokenEditChangesNothingAndIsTheLastErrorUntilAGoodEdit() throws IOException {
        Path file = write("runtime.yaml", "scopes: {mode: STRICT}\n");
        SettingsFile watched = new SettingsFile(file, settings, Map.of());
        watched.check();
        Instant applied = watched.status().lastReloadAt();
        Settings before = settings.current();

        // Each edit changes the size, so the poll sees it even within one tick of the file system's clock.
        assertBroken(watched, file, "scopes: {mode: STRICT}\nhistory: {size: 16}\nscopes.bogus: 1\n",
                "Unknown setting 'scopes.bogus'");
        assertBroken(watched, file, "scopes: {mode: STRICT}\nhistory: {size: -5}\n",
                "Setting 'history.size' must be a whole number from 1 to 100000, not '-5'.");
        assertBroken(watched, file, "scopes: {mode: STRICT\n", "is not valid YAML or JSON");
        assertBroken(watched, file, "scopes: [STRICT, OFF]\n", "setting 'scopes' holds a list; give it a single value.");
        Files.delete(file);
        assertThat(watched.check()).isTrue();
        assertThat(watched.status().lastError()).isEqualTo("Settings file " + file + " does not exist; create it or correct "
                + "-Dsonde.runtime.config.");
        assertThat(settings.current()).isSameAs(before);
        assertThat(watched.status().lastReloadAt()).isEqualTo(applied);

        write("runtime.yaml", "scopes: {mode: OFF}\n");
        assertThat(watched.check()).isTrue();
        assertThat(watched.status().lastError()).isNull();
        assertThat(watched.status().lastReloadAt()).isAfterOrEqualTo(applied);
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.OFF);
    }

    @Test
    void overridesWinAndAKeyRemovedFromTheFileGoesBackToItsDefault() throws IOException {
        Path file = write("runtime.yaml", "scopes: {mode: OFF}\nhistory: {size: 16}\nstacks: {maxDepth: 8}\n");
        settings.set("kpi.window", "5m");  // set by code or JMX, never by the file
        SettingsFile watched = new SettingsFile(file, settings, Map.of("scopes.mode", "STRICT"));
        watched.check();
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(16);

        Files.writeString(file, "history: {size: 32}\n");
        watched.check();

        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(32);
        assertThat(settings.get(Setting.STACKS_MAX_DEPTH)).isEqualTo(Setting.STACKS_MAX_DEPTH.defaultValue());
        assertThat(settings.get(Setting.SCOPES_MODE)).as("removed from the file, still overridden").isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.KPI_WINDOW)).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void seesAFileReplacedByRenameAsEditorsSaveIt() throws IOException {
        Path file = write("runtime.yaml", "history: {size: 16}\n");
        SettingsFile watched = new SettingsFile(file, settings, Map.of());
        watched.check();

        Path saved = write("runtime.yaml.tmp", "history: {size: 17}\n");
        Files.move(saved, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(watched.check()).isTrue();
        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(17);
    }

    @Test
    void aRuntimeWatchingAFileShowsItsStatusAndPicksUpEdits() throws IOException {
        Path file = write("runtime.yaml", "stacks: {maxDepth: 9}\n");
        try (SondeRuntime runtime = SondeRuntime.create(RuntimeSettings.defaults())) {
            assertThat(runtime.settingsFile()).isEmpty();
            runtime.watchSettingsFile(file, Map.of());
            assertThat(runtime.settings().get(Setting.STACKS_MAX_DEPTH)).as("applied at once").isEqualTo(9);
            assertThat(runtime.settingsFile()).hasValueSatisfying(status -> {
                assertThat(status.path()).isEqualTo(file);
                assertThat(status.lastError()).isNull();
            });
            assertThat(runtime.snapshotJson()).contains("\"settingsFile\":{\"path\":");
            assertThatThrownBy(() -> runtime.watchSettingsFile(file, Map.of())).isInstanceOf(IllegalStateException.class);

            Files.writeString(file, "stacks: {maxDepth: 10}\n");
            dev.sonde.runtime.Await.until(Duration.ofSeconds(10), "the edit to be applied",
                    () -> runtime.settings().get(Setting.STACKS_MAX_DEPTH) == 10);
        }
    }

    private void assertBroken(SettingsFile watched, Path file, String content, String error) throws IOException {
        Settings before = settings.current();
        Instant applied = watched.status().lastReloadAt();
        Files.writeString(file, content);
        assertThat(watched.check()).isTrue();
        assertThat(watched.status().lastError()).startsWith("Settings file " + file).contains(error);
        assertThat(settings.current()).isSameAs(before);
        assertThat(watched.status().lastReloadAt()).isEqualTo(applied);
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
