package dev.sonde.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.core.config.SondeConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sonde probe PID}: logpoints, snapshots, method watches, traces and monitors inside a running JVM, through the Sonde agent. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Load the Sonde agent into a running JVM of yours (no debug flags needed) and set probes that run",
                "in process: logpoints, snapshots, method watches, call traces and monitors. Opens a console, or runs --exec commands.",
                "Commands: log LOC \"text {expr}\" [if EXPR], monitor pkg.Class.method [every 5s], probes, delete ID (or remove ID),",
                "  snap LOC [if EXPR] [max N] [frames N] [watch EXPR]...: the thread, stack and locals of the top frames",
                "    (default 2), in the JSON of the JDWP snapshot; after max N snapshots the probe removes itself;",
                "  watch METHOD [args] [return] [throw] [if EXPR]: per call the arguments, the return value or exception,",
                "    the duration (default: args return, which also shows the calls that throw; throw alone: only those; args alone:",
                "    every call); EXPR sees the parameters, and returnValue and exception at the exit;",
                "  trace METHOD [depth N] [every 5s]: the call tree below the method, N levels (default 3) in one pass, aggregated",
                "    per call path over each interval: count, total and mean ms per call; JDK methods are timed at the call site.",
                "  METHOD is pkg.Class.method (every overload) or pkg.Class.method(int, String) (that one); a lambda's body is",
                "    its lambda$ method, a line inside it works for snap and log.",
                "  Each probe command ends with its budget options where they apply: [limit N] [cpu 0.5%] [expires 1h].",
                "wait DURATION, help, detach (remove every probe, restoring the classes), quit (leave; probes stay armed).",
                "Expressions in {…} and after `if` are Java: locals, this, fields (private too), arrays, literals, operators,",
                "casts, instanceof, ?:, and calls of side-effect-free JDK methods (any method with --allow-invoke); they are",
                "compiled into the method once. Snapshot watches: locals and field paths (a.b.c). A class not loaded yet, given",
                "by its full name, gets a probe that waits for it (in every class loader that defines it).",
                "Budgets (sonde.yaml probes:, or per probe at the end of its command): output 100 lines or snapshots/s",
                "(`limit N`; the rest is counted as dropped), CPU 1% of one core for all probes over 10s (`cpu 0.5%` for one",
                "probe; over it the probe is disabled and its class restored), expiry 1h (`expires 2h`), 32 live probes."},
        footer = {"", "Examples:",
                "  sonde probe 4242",
                "  sonde probe 4242 --exec 'log Orders.java:42 \"order {id} total {this.total}\"' --exec 'wait 10s' --exec detach",
                "  sonde probe 4242 --exec 'log Orders.java:42 \"big order {id}\" if qty > 100 && name.startsWith(\"A\")' --exec 'wait 1m'",
                "  sonde probe 4242 --exec 'monitor dev.shop.Orders.place every 5s' --exec 'wait 1m' --exec detach --json",
                "  sonde probe 4242 --exec 'log dev.shop.Later:12 \"{id}\" limit 1000 cpu 0.5% expires 10m'",
                "  sonde probe 4242 --exec 'snap Orders.java:42 max 3 watch this.total' --exec 'wait 10s' --json",
                "  sonde probe 4242 --out probes.jsonl --exec 'snap Orders.java:42 limit 10' --exec 'wait 8h'",
                "  sonde probe 4242 --exec 'watch dev.shop.Orders.place args throw' --exec 'trace dev.shop.Orders.checkout depth 4'",
                "",
                "JDK 21+ prints a warning when an agent is loaded into a running JVM; start the JVM with",
                "-XX:+EnableDynamicAgentLoading (or -javaagent:) to load it quietly. Only the JVM's user can connect."})
public final class ProbeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m|h)");

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "PID", description = "The process id of a local JVM (`sonde ps` lists them).")
    long pid;

    @Option(names = "--exec", paramLabel = "COMMAND", description = "Run COMMAND instead of opening a console (repeatable, in order).")
    List<String> execs = new ArrayList<>();

    @Option(names = "--allow-invoke", description = "Let probe expressions call any method of the target; without it they call only"
            + " side-effect-free JDK methods (String, boxed numbers, Math, Objects, java.util collection reads).")
    boolean allowInvoke;

    @Option(names = "--json", description = "Print results and probe output as JSON lines ({\"type\":\"result\"|\"event\",...}).")
    boolean json;

    @Option(names = "--out", paramLabel = "FILE.jsonl", description = "Also append every probe event to FILE as a JSON line (created"
            + " 0600, flushed per line), for long runs; the console output goes on as usual.")
    Path outFile;

    private PrintStream out;
    private EventFile eventFile;
    private PrintStream err;

    @Override
    public Integer call() {
        out = root.out();
        err = root.err();
        SondeConfig.Probes budgets = global.config().probes();
        if (outFile != null) {
            try {
                eventFile = EventFile.open(outFile);
            } catch (IllegalArgumentException e) {
                report("out", failure(e.getMessage()));
                return ExitCodes.USAGE;
            }
        }
        try (EventFile closing = eventFile) {
            return probe(budgets);
        }
    }

    private int probe(SondeConfig.Probes budgets) {
        long started = System.nanoTime();
        AgentClient client;
        try {
            client = AgentClient.connect(pid);
        } catch (AgentClient.AgentUnavailable e) {
            report("connect", failure(e.getMessage()));
            return ExitCodes.UNREACHABLE;
        }
        try (client) {
            client.onEvent(this::event);
            long millis = (System.nanoTime() - started) / 1_000_000;
            report("connect", ok().put("pid", pid).put("loaded", client.loadedNow()).put("millis", millis));
            JsonNode settings = client.request(settings(budgets));
            if (!settings.path("ok").asBoolean()) {
                report("settings", failure(settings.path("error").asText()));
            }
            boolean failed = false;
            if (!execs.isEmpty()) {
                for (String line : execs) {
                    Step step = run(client, line);
                    failed |= !step.ok;
                    if (step.leave) {
                        return failed ? ExitCodes.FAILED : ExitCodes.OK;
                    }
                }
                run(client, "quit");
                return failed ? ExitCodes.FAILED : ExitCodes.OK;
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(root.in(), StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!line.isBlank() && run(client, line.strip()).leave) {
                    return ExitCodes.OK;
                }
            }
            run(client, "quit");
            return ExitCodes.OK;
        } catch (IOException e) {
            report("console", failure("Cannot read the console input (" + e.getMessage() + ")."));
            return ExitCodes.FAILED;
        }
    }

    private record Step(boolean ok, boolean leave) {
    }

    private Step run(AgentClient client, String line) {
        List<String> words = words(line);
        String command = words.isEmpty() ? "" : words.get(0);
        ObjectNode request;
        try {
            request = request(command, words, line);
        } catch (IllegalArgumentException e) {
            report(command, failure(e.getMessage()));
            return new Step(false, false);
        }
        if (request == null) {
            return new Step(true, false);
        }
        JsonNode answer;
        try {
            answer = client.request(request);
        } catch (AgentClient.AgentUnavailable e) {
            report(command, failure(e.getMessage()));
            return new Step(false, true);
        }
        ObjectNode result = ((ObjectNode) answer.deepCopy()).without(List.of("reply", "source"));
        report(command, result);
        return new Step(answer.path("ok").asBoolean(), command.equals("detach") || command.equals("quit"));
    }

    /** The agent request for a console command, or null for a command done here (help, wait). */
    private ObjectNode request(String command, List<String> words, String line) {
        switch (command) {
            case "log" -> {
                LogArguments log = LogArguments.parse(line);
                ObjectNode request = AgentClient.op("log").put("location", log.location()).put("text", log.text());
                for (String[] option : log.budget()) {
                    budgetOption(option[0], option[1], request);
                }
                if (log.condition() != null) {
                    request.put("condition", log.condition());
                }
                return request.put("allowInvoke", allowInvoke);
            }
            case "monitor" -> {
                ObjectNode request = AgentClient.op("monitor");
                int end = budgetOptions(words, 2, request);
                if (end != 2 && !(end == 4 && words.get(2).equals("every"))) {
                    throw new IllegalArgumentException("monitor takes a method and an optional interval: monitor dev.shop.Orders.place every 5s.");
                }
                long every = end == 4 ? millis(words.get(3)) : 5000;
                return request.put("method", words.get(1)).put("everyMillis", every);
            }
            case "snap" -> {
                return ProbeKindCommands.snap(line).put("allowInvoke", allowInvoke);
            }
            case "watch" -> {
                return ProbeKindCommands.watch(line).put("allowInvoke", allowInvoke);
            }
            case "trace" -> {
                ObjectNode request = AgentClient.op("trace");
                return ProbeKindCommands.trace(words.subList(0, budgetOptions(words, 2, request)), request);
            }
            case "probes", "detach", "quit" -> {
                return AgentClient.op(command);
            }
            case "delete", "remove" -> {
                if (words.size() != 2) {
                    throw new IllegalArgumentException(command + " takes a probe id: delete 1 (`probes` lists them).");
                }
                return AgentClient.op("remove").put("probe", positive(words.get(1), "probe id"));
            }
            case "wait" -> {
                if (words.size() != 2) {
                    throw new IllegalArgumentException("wait takes a duration: wait 5s.");
                }
                try {
                    Thread.sleep(millis(words.get(1)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            }
            case "help" -> {
                print("log LOC \"text {expr}\" [if EXPR] | " + ProbeKindCommands.USAGE + " | monitor pkg.Class.method [every 5s]"
                        + " | each probe command may end with [limit N] [cpu 0.5%] [expires 1h]"
                        + " | probes | delete ID (or remove ID) | wait 5s | detach | quit | help", false);
                return null;
            }
            default -> throw new IllegalArgumentException("Unknown command '" + command + "'; the commands are log, snap, watch, trace,"
                    + " monitor, probes, delete, detach, help, wait and quit.");
        }
    }

    /**
     * Takes the budget options at the end of a probe command ({@code limit N}, {@code cpu 0.5%}, {@code expires 2h}) into
     * {@code request}; returns where the command's own words end. The first {@code keep} words are never options.
     */
    private static int budgetOptions(List<String> words, int keep, ObjectNode request) {
        int end = words.size();
        while (end - 2 >= keep) {
            String option = words.get(end - 2);
            String value = words.get(end - 1);
            if (!budgetOption(option, value, request)) {
                return end;
            }
            end -= 2;
        }
        return end;
    }

    /** Puts one budget option ({@code limit N}, {@code cpu 0.5%}, {@code expires 2h}) into {@code request}; false for another word. */
    static boolean budgetOption(String option, String value, ObjectNode request) {
        switch (option) {
            case "limit" -> request.put("limit", positive(value, "limit"));
            case "cpu" -> request.put("cpuPercent", percent(value));
            case "expires" -> request.put("expiryMillis", millis(value));
            default -> {
                return false;
            }
        }
        return true;
    }

    static double percent(String word) {
        try {
            double value = Double.parseDouble(word.endsWith("%") ? word.substring(0, word.length() - 1) : word);
            if (value > 0 && value <= 100) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // the sentence below
        }
        throw new IllegalArgumentException("'" + word + "' is not a CPU budget; write a share of one core above 0% and at most 100%, like cpu 0.5%.");
    }

    /** The agent-wide budgets of sonde.yaml's probes: section, sent once a connection is made. */
    private static ObjectNode settings(SondeConfig.Probes budgets) {
        return AgentClient.op("settings").put("linesPerSecond", budgets.linesPerSecond()).put("cpuPercent", budgets.cpuPercent())
                .put("cpuWindowMillis", budgets.cpuWindow().toMillis()).put("expiryMillis", budgets.expiry().toMillis())
                .put("maxLive", budgets.maxLive()).put("snapshotBytes", budgets.snapshotBytes());
    }

    static int positive(String word, String what) {
        try {
            int value = Integer.parseInt(word);
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // the sentence below
        }
        throw new IllegalArgumentException("The " + what + " must be a positive whole number, not '" + word + "'.");
    }

    static long millis(String word) {
        Matcher m = DURATION.matcher(word.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + word + "' is not a duration; write it as 500ms, 5s, 2m or 1h.");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            case "m" -> n * 60_000;
            default -> n * 3_600_000;
        };
    }

    /** Words of a console line; "double quotes" keep spaces, and \" inside them is a quote. */
    static List<String> words(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted && c == '\\' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                word.append('"');
                i++;
            } else if (c == '"') {
                quoted = !quoted;
                any = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (any || !word.isEmpty()) {
                    words.add(word.toString());
                }
                word.setLength(0);
                any = false;
            } else {
                word.append(c);
            }
        }
        if (any || !word.isEmpty()) {
            words.add(word.toString());
        }
        return words;
    }

    private static ObjectNode ok() {
        return JSON.createObjectNode().put("ok", true);
    }

    private static ObjectNode failure(String sentence) {
        return JSON.createObjectNode().put("ok", false).put("error", sentence);
    }

    private synchronized void report(String command, ObjectNode result) {
        if (json) {
            ObjectNode line = JSON.createObjectNode().put("type", "result").put("command", command);
            line.setAll(result);
            out.println(line);
            return;
        }
        if (!result.path("ok").asBoolean()) {
            err.println("error: " + result.path("error").asText());
            return;
        }
        print(switch (command) {
            case "connect" -> (result.path("loaded").asBoolean() ? "Agent loaded into " : "Reconnected to the agent in ") + pid
                    + " (" + result.path("millis").asLong() + " ms); type help for the commands.";
            case "log", "monitor", "snap", "watch", "trace" -> placed(result);
            case "probes" -> probes(result.path("probes"));
            case "remove", "delete" -> "Removed probe " + result.path("removed").path(0).asInt() + "; its class has its original bytecode again.";
            case "detach" -> "Removed " + result.path("removedCount").asInt() + " probe(s) and restored their classes; the agent stays loaded, idle.";
            case "quit" -> result.path("armed").asInt() == 0 ? "Bye." : result.path("armed").asInt() + " probe(s) stay armed; `sonde probe " + pid
                    + "` reconnects, `detach` removes them.";
            default -> result.toString();
        }, false);
    }

    /** A new probe: the one armed, each armed in another class loader, or the one waiting for its class. */
    private static String placed(JsonNode result) {
        JsonNode armed = result.path("armed");
        if (armed.size() <= 1) {
            return "Probe " + describe(result.path("probe"));
        }
        List<String> lines = new ArrayList<>();
        lines.add("Armed in " + armed.size() + " class loaders:");
        armed.forEach(probe -> lines.add("  Probe " + describe(probe)));
        return String.join(System.lineSeparator(), lines);
    }

    private static String describe(JsonNode probe) {
        if (probe.path("state").asText().equals("pending")) {
            return probe.path("id").asInt() + ": " + probe.path("kind").asText() + " at " + probe.path("location").asText() + ", pending: "
                    + probe.path("pending").asText();
        }
        String loader = probe.path("loader").asText("app");
        String where = loader.equals("app") ? "" : " [class loader " + loader + "]";
        return probe.path("id").asInt() + ": " + switch (probe.path("kind").asText()) {
            case "log" -> "log at " + probe.path("location").asText() + " (in " + probe.path("method").asText() + ") \""
                    + probe.path("text").asText() + "\"" + (probe.has("condition") ? " if " + probe.path("condition").asText() : "")
                    + ", up to " + probe.path("limit").asInt() + " lines/s, " + probe.path("printed").asLong()
                    + " printed, " + probe.path("dropped").asLong() + " dropped" + (probe.path("errors").asLong() > 0
                    ? ", " + probe.path("errors").asLong() + " hits with errors" : "");
            case "snap", "watch", "trace" -> ProbeKindCommands.describe(probe);
            default -> "monitor " + probe.path("location").asText() + " every " + probe.path("everyMillis").asLong() / 1000.0 + "s, "
                    + probe.path("calls").asLong() + " calls so far";
        } + where;
    }

    private static String probes(JsonNode probes) {
        if (probes.isEmpty()) {
            return "No probes.";
        }
        List<String> lines = new ArrayList<>();
        probes.forEach(probe -> lines.add("  " + describe(probe)));
        return String.join(System.lineSeparator(), lines);
    }

    private synchronized void event(JsonNode event) {
        ObjectNode line = JSON.createObjectNode().put("type", "event");
        line.setAll((ObjectNode) event);
        if (eventFile != null) {
            String failed = eventFile.append(line.toString());
            if (failed != null) {
                report("out", failure(failed));
            }
        }
        if (json) {
            out.println(line);
            return;
        }
        String probe = "[probe " + event.path("probe").asInt() + "] ";
        print(switch (event.path("event").asText()) {
            case "log" -> probe + event.path("text").asText();
            case "error" -> event.has("probe") ? probe + event.path("text").asText() : "agent: " + event.path("text").asText();
            case "monitor" -> probe + event.path("method").asText() + ": " + event.path("calls").asLong() + " calls, "
                    + event.path("errors").asLong() + " errors, mean " + event.path("meanMicros").asDouble() + " µs, p50 "
                    + event.path("p50Micros").asDouble() + " µs, p99 " + event.path("p99Micros").asDouble() + " µs";
            case "armed", "waiting", "disabled", "expired", "removed" -> probe + event.path("text").asText();
            case "dropped" -> probe + event.path("dropped").asLong() + " lines dropped (limit " + event.path("limit").asInt() + " lines/s)";
            case "snapshot", "watch", "trace" -> ProbeKindCommands.event(event);
            default -> "agent: " + event.path("text").asText(event.toString());
        }, false);
    }

    private void print(String text, boolean error) {
        (error ? err : out).println(text);
    }
}
