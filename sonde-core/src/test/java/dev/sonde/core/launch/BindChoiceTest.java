package dev.sonde.core.launch;

import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where a bind came from decides what is said about it and whether a widening counts. */
class BindChoiceTest {

    @TempDir
    Path dir;

    @Test
    void loopbackNeedsNoConsentAndNoWarning() {
        BindChoice choice = BindChoice.of(ConfigLoader.load(null, dir, Map.of()), "server");
        assertThat(choice.requireConsent("the debug port")).isSameAs(choice);
        assertThat(choice.warning("the debug port", null)).isEmpty();
    }

    @Test
    void environmentVariablesAreTheUsersWordAndAreNamed() {
        BindChoice choice = BindChoice.of(ConfigLoader.load(null, dir,
                Map.of("SONDE_SERVER_BIND", "0.0.0.0", "SONDE_SERVER_ALLOW_REMOTE", "true")), "server").requireConsent("the debug port");
        assertThat(choice.warning("the debug port", "0.0.0.0:5005")).contains("warning: the debug port listens on 0.0.0.0:5005, every"
                + " network interface (server.bind from env SONDE_SERVER_BIND, allowed by env SONDE_SERVER_ALLOW_REMOTE): anyone who can"
                + " reach a debug port can run any code in the target.");
    }

    @Test
    void aFileFoundInTheWorkingDirectoryCannotAllowRemoteButANamedOneCan() throws IOException {
        Path file = Files.writeString(dir.resolve("sonde.yaml"), "dashboard:\n  bind: 0.0.0.0\n  allowRemote: true\n");
        BindChoice found = BindChoice.of(ConfigLoader.load(null, dir, Map.of()), "dashboard");
        assertThatThrownBy(() -> found.requireConsent("the dashboard")).isInstanceOf(SondeException.class)
                .hasMessageContaining("dashboard.allowRemote: true in " + file + " does not count")
                .hasMessageContaining("SONDE_DASHBOARD_ALLOW_REMOTE=true");

        BindChoice named = BindChoice.of(ConfigLoader.load(file, dir, Map.of()), "dashboard").requireConsent("the dashboard");
        assertThat(named.warning("the dashboard", null)).get().asString().contains("(dashboard.bind from " + file + ", allowed by " + file + ")")
                .contains("anyone who reaches it with the token");
        BindChoice viaVariable = BindChoice.of(ConfigLoader.load(null, dir, Map.of("SONDE_CONFIG", file.toString())), "dashboard");
        assertThat(viaVariable.requireConsent("the dashboard")).isSameAs(viaVariable);
    }

    @Test
    void aFlagOnTopOfAFoundFileCounts() throws IOException {
        Path file = Files.writeString(dir.resolve("sonde.yaml"), "server:\n  bind: 0.0.0.0\n");
        ConfigLoader.Loaded loaded = ConfigLoader.load(null, dir, Map.of());
        assertThatThrownBy(() -> BindChoice.of(loaded, "server").requireConsent("the debug port"))
                .hasMessage("Refusing to bind the debug port to 0.0.0.0 (server.bind from " + file + "): anyone who can reach a debug port"
                        + " can run any code in the target; pass --allow-remote if you mean it.");
        BindChoice allowed = BindChoice.of(loaded.override("server.allowRemote", "true", "--allow-remote"), "server")
                .requireConsent("the debug port");
        assertThat(allowed.warning("the debug port", null)).get().asString().contains("allowed by flag --allow-remote");
    }
}
