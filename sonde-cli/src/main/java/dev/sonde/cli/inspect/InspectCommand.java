package dev.sonde.cli.inspect;

import dev.sonde.dashboard.jvm.JvmConnection;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.dashboard.jvm.JvmConnection.SettingValue;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.SondeException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * {@code sonde inspect PID}: what the Sonde runtime inside a running JVM knows, or what any other JVM reports over its platform
 * MBeans, read over JMX; and changing the runtime's settings.
 */
@Command(name = "inspect",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Show what a running JVM is doing, or change its sonde-runtime settings.",
                "",
                "With sonde-runtime in the JVM, the report has operations (count, errors,",
                "durations), scope misuse with threads and stacks, resources and leaks,",
                "deadlocks and blocked threads, executors, recovery, the four KPIs and their",
                "alerts, and system figures. Any other JVM gets what it reports itself over its",
                "platform MBeans: CPU, heap, GC, threads, the virtual-thread scheduler, and",
                "deadlocks and blocked threads with the threads that hold their locks.",
                "The JVM is reached by pid (Attach API, then JMX), no debugger needed.",
                "With --set or --apply, the runtime's settings change while it runs: all of",
                "them, or none when one is invalid (docs/runtime.md)."},
        footer = {"", "Examples:",
                "  sonde inspect 4242",
                "  sonde inspect 4242 --json",
                "  sonde inspect 4242 --set scopes.mode=STRICT --set scopes.entryStacks=SAMPLED",
                "  sonde inspect 4242 --apply sonde.yaml       # its runtime: section",
                "",
                "Find pids with `sonde ps`. Exit codes: 1 --set/--apply on a JVM without",
                "sonde-runtime, 2 an invalid setting (nothing changed), 3 no such JVM or attach",
                "refused, 4 the JVM did not answer in time."})
public final class InspectCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "PID", description = "The JVM to inspect (`sonde ps` lists them).")
    long pid;

    @Option(names = "--json", description = "Print one JSON document: pid, mainClass, runtime (true or false), the runtime's own "
            + "snapshot when it has one, and platform, what the JVM reports itself (or, with --set/--apply, the settings changed).")
    boolean json;

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "Change a runtime setting (repeatable), e.g. scopes.mode=STRICT; the keys are in docs/runtime.md.")
    Map<String, String> set = new LinkedHashMap<>();

    @Option(names = "--apply", paramLabel = "FILE",
            description = "Change the runtime settings listed under `runtime:` in FILE (a sonde.yaml or sonde.json); --set wins over it.")
    Path apply;

    @Option(names = "--timeout", paramLabel = "DURATION",
            description = "How long to wait for the JVM to answer (default: attach.timeout, 10s).")
    String timeout;

    @Override
    public Integer call() {
        Map<String, String> changes = requestedChanges();
        Duration limit = timeout != null ? DurationText.parse(timeout) : global.loadConfig().config().attach().timeout();
        try (JvmConnection connection = JvmConnection.open(pid, limit)) {
            if (changes.isEmpty()) {
                inspect(connection, root.out());
            } else {
                change(connection, changes, root.out());
            }
            connection.localAgent().ifPresent(agent -> root.err().println(agent.leftOpen(pid)));
        }
        return ExitCodes.OK;
    }

    /** The settings of --apply's file, then those of --set, which win. */
    private Map<String, String> requestedChanges() {
        Map<String, String> changes = new LinkedHashMap<>();
        if (apply != null) {
            if (!Files.isRegularFile(apply)) {
                throw SondeException.invalidInput("File " + apply + " (from --apply) does not exist; check the path.");
            }
            Map<String, String> fromFile = ConfigLoader.load(apply).config().runtimeSettings();
            if (fromFile.isEmpty()) {
                throw SondeException.invalidInput(apply + " has no settings under `runtime:`; add some (e.g. runtime: {scopes: {mode: STRICT}}), "
                        + "with the keys of docs/runtime.md.");
            }
            changes.putAll(fromFile);
        }
        changes.putAll(set);
        return changes;
    }

    private void inspect(JvmConnection connection, PrintStream out) {
        if (json) {
            ObjectNode document = JSON.createObjectNode().put("pid", pid).put("mainClass", connection.mainClass())
                    .put("runtime", connection.hasRuntime());
            if (connection.hasRuntime()) {
                document.setAll((ObjectNode) readTree(connection.snapshotJson()));
            }
            document.set("platform", JSON.valueToTree(connection.platform()));
            out.println(document);
            return;
        }
        if (!connection.hasRuntime()) {
            InspectionText.platformReport(pid, connection.mainClass(), connection.platform()).forEach(out::println);
            return;
        }
        List<SettingValue> settings = connection.settings();
        InspectionText.report(pid, connection.mainClass(), connection.snapshot(), settings).forEach(out::println);
    }

    private void change(JvmConnection connection, Map<String, String> changes, PrintStream out) {
        Map<String, String> before = values(connection.settings());
        connection.apply(changes);
        Map<String, String> after = values(connection.settings());
        if (json) {
            ArrayNode changed = JSON.createArrayNode();
            for (String key : changes.keySet()) {
                String normalKey = key.trim();
                changed.addObject().put("key", normalKey).put("from", before.get(normalKey)).put("to", after.get(normalKey));
            }
            out.println(JSON.createObjectNode().put("pid", pid).set("applied", changed));
            return;
        }
        out.println("Applied to JVM " + pid + " (" + connection.mainClass() + "):");
        TextTable table = new TextTable("", "", "", "").alignLeft(2, 3);
        for (String key : changes.keySet()) {
            String normalKey = key.trim();
            String from = before.get(normalKey);
            String to = after.get(normalKey);
            table.row(normalKey, from, "→", to + (Objects.equals(from, to) ? " (unchanged)" : ""));
        }
        table.lines("  ").stream().skip(1).forEach(out::println);
        out.println("The change lasts until the JVM exits; to keep it, start the JVM with -Dsonde.runtime.KEY=VALUE.");
    }

    private static Map<String, String> values(List<SettingValue> settings) {
        Map<String, String> values = new LinkedHashMap<>();
        settings.forEach(setting -> values.put(setting.key(), setting.value()));
        return values;
    }

    private static JsonNode readTree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw SondeException.badState("The runtime's snapshot is not valid JSON (" + e.getMessage() + "); use a sonde-runtime "
                    + "of the same version as this sonde.");
        }
    }
}
