package dev.sonde.core.launch;

import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.ConfigSource;
import dev.sonde.core.error.SondeException;

import java.util.Optional;

/**
 * The address a server of ours is configured to listen on ({@code server.bind}/{@code server.allowRemote} for debug
 * ports, {@code dashboard.bind}/{@code dashboard.allowRemote} for the dashboard), with where each part came from.
 * A non-loopback bind is always announced with its sources; {@code allowRemote: true} counts only from the user's own
 * word (a flag, an environment variable, a file named with {@code --config} or {@code SONDE_CONFIG}), never from a
 * file merely found in the working directory, which may have come with a cloned repository.
 *
 * @param section {@code server} or {@code dashboard}
 */
public record BindChoice(String section, String bindAddress, boolean allowRemote, ConfigSource bindSource, ConfigSource allowRemoteSource) {

    /** The {@code section}'s bind settings of a loaded configuration (flags already applied as overrides). */
    public static BindChoice of(ConfigLoader.Loaded loaded, String section) {
        var tree = loaded.tree().path(section);
        return new BindChoice(section, tree.path("bind").asText(BindPolicy.LOOPBACK), tree.path("allowRemote").asBoolean(false),
                loaded.sources().getOrDefault(section + ".bind", new ConfigSource.Default()),
                loaded.sources().getOrDefault(section + ".allowRemote", new ConfigSource.Default()));
    }

    public boolean isLoopback() {
        return BindPolicy.resolve(bindAddress).isLoopbackAddress();
    }

    /**
     * Fails with a sentence naming the setting's source when the bind is not loopback and the user has not allowed it
     * themselves; returns this otherwise.
     *
     * @param what what listens, for the sentence: "the debug port", "the dashboard"
     */
    public BindChoice requireConsent(String what) {
        if (isLoopback()) {
            return this;
        }
        String flag = "--allow-remote";
        String variable = ConfigLoader.environmentName(section + ".allowRemote");
        if (!allowRemote) {
            throw SondeException.invalidInput("Refusing to bind " + what + " to " + bindAddress + " (" + section + ".bind from "
                    + bindSource.describe() + "): " + danger() + "; pass " + flag + " if you mean it.");
        }
        if (allowRemoteSource instanceof ConfigSource.File file && file.foundInWorkingDirectory()) {
            throw SondeException.invalidInput("Refusing to bind " + what + " to " + bindAddress + ": " + section + ".allowRemote: true in "
                    + file.path() + " does not count, because a config file found in the working directory may have come with a cloned "
                    + "repository; pass " + flag + " (or set " + variable + "=true, or name the file with --config) if you mean it.");
        }
        return this;
    }

    /**
     * The warning for a bind that is not loopback, naming where the address and the permission came from; empty for
     * loopback.
     *
     * @param what  what listens: "the debug port", "the dashboard"
     * @param bound the address as bound, when known (e.g. {@code 0.0.0.0:5005}); else the configured address is named
     */
    public Optional<String> warning(String what, String bound) {
        if (isLoopback()) {
            return Optional.empty();
        }
        String where = bound != null ? bound : bindAddress;
        String scope = BindPolicy.isWildcard(bindAddress) ? "every network interface" : "a non-loopback address";
        return Optional.of("warning: " + what + " listens on " + where + ", " + scope + " (" + section + ".bind from " + bindSource.describe()
                + ", allowed by " + allowRemoteSource.describe() + "): " + danger() + ".");
    }

    private String danger() {
        return section.equals("dashboard")
                ? "anyone who reaches it with the token can read every watched service and change its settings"
                : "anyone who can reach a debug port can run any code in the target";
    }
}
