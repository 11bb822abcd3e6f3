package dev.sonde.core.config;

import dev.sonde.core.config.SondeConfig.JmxTarget;
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

/** The {@code dashboard:} section of sonde.yaml. */
class DashboardConfigTest {

    @TempDir
    Path dir;

    @Test
    void hasDocumentedDefaults() {
        SondeConfig.Dashboard dashboard = ConfigLoader.load(null, dir, Map.of()).config().dashboard();
        assertThat(dashboard).isEqualTo(new SondeConfig.Dashboard(Duration.ofSeconds(1), Duration.ofSeconds(3),
                Duration.ofMinutes(15), "127.0.0.1", 0, false, java.util.List.of(), 0.8, null));
    }

    @Test
    void readsTheSectionWithJmxTargetsWhosePasswordIsNeverShown() throws IOException {
        Files.writeString(dir.resolve("sonde.yaml"), """
                dashboard:
                  interval: 2s
                  history: 30m
                  port: 8080
                  amberAt: 0.9
                  jmx:
                    - service:jmx:rmi:///jndi/rmi://orders:9010/jmxrmi
                    - url: service:jmx:rmi:///jndi/rmi://billing:9010/jmxrmi
                      username: monitor
                      password: s3cret
                """);
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of());
        SondeConfig.Dashboard dashboard = loaded.config().dashboard();

        assertThat(dashboard.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(dashboard.rescan()).isEqualTo(Duration.ofSeconds(3));
        assertThat(dashboard.history()).isEqualTo(Duration.ofMinutes(30));
        assertThat(dashboard.port()).isEqualTo(8080);
        assertThat(dashboard.amberAt()).isEqualTo(0.9);
        assertThat(dashboard.jmx()).containsExactly(JmxTarget.of("service:jmx:rmi:///jndi/rmi://orders:9010/jmxrmi"),
                new JmxTarget("service:jmx:rmi:///jndi/rmi://billing:9010/jmxrmi", "monitor", "s3cret"));
        assertThat(dashboard.toString()).doesNotContain("s3cret");
        assertThat(loaded.describe()).contains("jmx: [service:jmx:rmi:///jndi/rmi://orders:9010/jmxrmi, "
                + "service:jmx:rmi:///jndi/rmi://billing:9010/jmxrmi]").doesNotContain("s3cret");
    }

    @Test
    void environmentOverridesAsForEverySection() {
        SondeConfig.Dashboard dashboard = ConfigLoader.load(null, dir, Map.of("SONDE_DASHBOARD_INTERVAL", "500ms",
                "SONDE_DASHBOARD_ALLOW_REMOTE", "true", "SONDE_DASHBOARD_AMBER_AT", "0.5",
                "SONDE_DASHBOARD_JMX", "service:jmx:rmi:///jndi/rmi://a:1/jmxrmi, service:jmx:rmi:///jndi/rmi://b:2/jmxrmi"))
                .config().dashboard();
        assertThat(dashboard.interval()).isEqualTo(Duration.ofMillis(500));
        assertThat(dashboard.allowRemote()).isTrue();
        assertThat(dashboard.amberAt()).isEqualTo(0.5);
        assertThat(dashboard.jmx()).extracting(JmxTarget::url)
                .containsExactly("service:jmx:rmi:///jndi/rmi://a:1/jmxrmi", "service:jmx:rmi:///jndi/rmi://b:2/jmxrmi");
        assertThat(dashboard.jmx()).allSatisfy(target -> assertThat(target.password()).isNull());
    }

    @Test
    void refusesBadValuesWithOneSentence() throws IOException {
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of("SONDE_DASHBOARD_AMBER_AT", "lots")))
                .isInstanceOf(SondeException.class)
                .hasMessage("Environment variable SONDE_DASHBOARD_AMBER_AT='lots' is not a number; set it to one, like 0.8.");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of("SONDE_DASHBOARD_AMBER_AT", "1.5")))
                .hasMessage("dashboard.amberAt is 1.5; use a fraction of a KPI's threshold above 0 and at most 1, like 0.8.");
        Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  interval: 0s\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .hasMessage("dashboard.interval must be positive, not 0s; use a value like 1s.");
        Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  jmx: [orders:9010]\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .hasMessage("dashboard.jmx has 'orders:9010', which is not a JMX URL; write it like "
                        + "service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi.");
        Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  refresh: 1s\n");
        assertThatThrownBy(() -> ConfigLoader.load(null, dir, Map.of()))
                .hasMessageContaining("unknown key 'dashboard.refresh'").hasMessageContaining("interval");
    }
}
