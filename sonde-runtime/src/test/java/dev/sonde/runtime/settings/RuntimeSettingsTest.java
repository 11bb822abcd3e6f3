package dev.sonde.runtime.settings;

import dev.sonde.runtime.threads.StackCapture;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeSettingsTest {

    @Test
    void startsWithDocumentedDefaults() {
        RuntimeSettings settings = RuntimeSettings.defaults();

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.REPORT);
        assertThat(settings.get(Setting.SCOPES_ENTRY_STACKS)).isEqualTo(StackCapture.OFF);
        assertThat(settings.get(Setting.KPI_RECOVERY_TIME_MAX)).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.current().asText()).containsEntry("scopes.mode", "REPORT")
                .containsEntry("operations.window", "1m").containsEntry("recovery.initialBackoff", "100ms")
                .hasSize(Setting.all().size());
    }

    @Test
    void readsSystemPropertiesWithThePrefixOnly() {
        Properties properties = new Properties();
        properties.setProperty("sonde.runtime.scopes.mode", "strict");
        properties.setProperty("sonde.runtime.resources.leakAge", "PT2S");
        properties.setProperty("unrelated.scopes.mode", "OFF");

        RuntimeSettings settings = RuntimeSettings.fromProperties(properties);

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.RESOURCES_LEAK_AGE)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void hotReloadChangesValuesAndTellsListeners() {
        RuntimeSettings settings = RuntimeSettings.defaults();
        List<Settings> seen = new ArrayList<>();
        settings.onChange(seen::add);

        settings.set("scopes.mode", "STRICT");
        settings.applyText("# from sonde.yaml\nsonde.runtime.stacks.samplingInterval = 16\nmonitor.interval=250ms\n");

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.STACKS_SAMPLING_INTERVAL)).isEqualTo(16);
        assertThat(settings.get(Setting.MONITOR_INTERVAL)).isEqualTo(Duration.ofMillis(250));
        assertThat(seen).hasSize(2);
        assertThat(seen.get(1).get(Setting.MONITOR_INTERVAL)).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void refusesAnInvalidValueWithOneSentenceAndChangesNothing() {
        RuntimeSettings settings = RuntimeSettings.defaults();
        Settings before = settings.current();

        assertThatThrownBy(() -> settings.set("scopes.mode", "LOUD"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Setting 'scopes.mode' must be one of OFF, REPORT, STRICT, not 'LOUD'.");
        assertThatThrownBy(() -> settings.set("recovery.jitter", "1.5"))
                .hasMessage("Setting 'recovery.jitter' must be a number from 0.0 to 1.0 (excluded), not '1.5'.");
        assertThatThrownBy(() -> settings.set("monitor.interval", "soon"))
                .hasMessageStartingWith("Setting 'monitor.interval' must be a duration of at least 10ms");

        assertThat(settings.current()).isSameAs(before);
    }

    @Test
    void applyIsAllOrNothing() {
        RuntimeSettings settings = RuntimeSettings.defaults();
        Map<String, String> changes = new LinkedHashMap<>();
        changes.put("scopes.mode", "OFF");
        changes.put("history.size", "-3");

        assertThatThrownBy(() -> settings.apply(changes)).hasMessageContaining("'history.size'");
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.REPORT);

        assertThatThrownBy(() -> settings.applyText("scopes.mode=OFF\nno.such.key=1"))
                .hasMessageStartingWith("Unknown setting 'no.such.key'; the settings are scopes.mode, ");
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.REPORT);
    }

    @Test
    void checksRulesThatTieSettingsTogether() {
        RuntimeSettings settings = RuntimeSettings.defaults();

        assertThatThrownBy(() -> settings.set("recovery.maxBackoff", "50ms"))
                .hasMessage("Setting 'recovery.maxBackoff' (50ms) must not be shorter than 'recovery.initialBackoff' (100ms).");
        assertThat(settings.get(Setting.RECOVERY_MAX_BACKOFF)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void readsAndWritesDurations() {
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("3 s")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("10us")).isEqualTo(Duration.ofNanos(10_000));
        assertThat(Durations.parse("PT1M30S")).isEqualTo(Duration.ofSeconds(90));
        assertThat(Durations.parse("later")).isNull();
        assertThat(Durations.format(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
        assertThat(Durations.format(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    }
}
