package dev.sonde.cli;

import dev.sonde.core.config.ConfigLoader;
import picocli.CommandLine.Option;

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

    /** Defaults, then the config file, then SONDE_* environment variables. */
    public ConfigLoader.Loaded loadConfig() {
        return ConfigLoader.load(config);
    }
}
