package dev.sonde.cli;

import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.SondeConfig;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;

/** Options every command takes. */
public final class GlobalOptions {

    @Option(names = "--config", paramLabel = "FILE",
            description = "Read settings from FILE instead of sonde.yaml, sonde.yml or sonde.json in the working directory.")
    Path config;

    @Option(names = "--debug", description = "Show stack traces of errors (for bug reports).")
    boolean debug;

    /** The file given with --config, or null to look in the usual places. */
    public Path configFile() {
        return config;
    }

    /**
     * The settings in force: {@link SondeConfig#DEFAULTS} as they are when no config file and no SONDE_* variable could
     * change them (loading, merging and checking the settings with Jackson is a good part of a short command's start-up),
     * else {@link #loadConfig()}'s.
     */
    public SondeConfig config() {
        boolean nothingToRead = config == null
                && ConfigLoader.watchedFiles(null).stream().noneMatch(Files::exists)
                && System.getenv().keySet().stream().noneMatch(name -> name.startsWith("SONDE_"));
        return nothingToRead ? SondeConfig.DEFAULTS : loadConfig().config();
    }

    /** Defaults, then the config file, then SONDE_* environment variables. */
    public ConfigLoader.Loaded loadConfig() {
        return ConfigLoader.load(config);
    }
}
