package dev.sonde.cli.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.core.config.ConfigLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/** {@code sonde config}: the settings in force and where each came from. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Show Sonde's settings. See docs/configuration.md for every key.",
        subcommands = ConfigCommand.Show.class)
public final class ConfigCommand implements Runnable {

    @ParentCommand
    SondeCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.out());
    }

    /** {@code sonde config show}. */
    @Command(name = "show",
            mixinStandardHelpOptions = true,
            description = {"Print the effective configuration: defaults, overridden by sonde.yaml (or --config FILE),",
                    "overridden by SONDE_* environment variables. Each value is annotated with its source."},
            footer = {"", "Examples:", "  sonde config show", "  SONDE_ATTACH_TIMEOUT=30s sonde config show --json"})
    public static final class Show implements Callable<Integer> {

        @ParentCommand
        ConfigCommand parent;

        @Mixin
        GlobalOptions global;

        @Option(names = "--json", description = "Print {\"file\": ..., \"settings\": {...}, \"sources\": {...}} as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            ConfigLoader.Loaded loaded = global.loadConfig();
            var out = parent.root.out();
            if (json) {
                ObjectMapper mapper = new ObjectMapper();
                ObjectNode node = mapper.createObjectNode();
                node.put("file", loaded.file() == null ? null : loaded.file().toString());
                node.set("settings", loaded.tree());
                ObjectNode sources = node.putObject("sources");
                loaded.sources().forEach((key, source) -> sources.put(key, source.describe()));
                out.println(mapper.writeValueAsString(node));
            } else {
                out.println("# " + (loaded.file() == null
                        ? "no config file (looked for " + String.join(", ", ConfigLoader.FILE_NAMES) + " in the working directory)"
                        : "from " + loaded.file()));
                out.print(loaded.describe());
            }
            return 0;
        }
    }
}
