package dev.sonde.cli.probe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code sonde probe PID}: logpoints and method monitors inside a running JVM, through the Sonde agent. */
@Command(name = "probe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Load the Sonde agent into a running JVM of yours (no debug flags needed) and set probes that run",
                "in process: logpoints and method monitors. Opens a console, or runs --exec commands.",
                "Commands: log LOC \"text {expr}\" [if EXPR] [limit N], monitor pkg.Class.method [every 5s], probes,",
                "remove ID, wait DURATION, detach (remove every probe, restoring the classes), quit (leave; probes stay armed).",
                "Expressions in {…} and after `if` are Java: locals, this, fields (private too), arrays, literals, operators,",
                "casts, instanceof, ?:, and calls of side-effect-free JDK methods (any method with --allow-invoke); they are",
                "compiled into the method once. Output: 100 lines/s per probe unless `limit N`; the rest is counted and",
                "reported as dropped."},
        footer = {"", "Examples:",
                "  sonde probe 4242",
                "  sonde probe 4242 --exec 'log Orders.java:42 \"order {id} total {this.total}\"' --exec 'wait 10s' --exec detach",
                "  sonde probe 4242 --exec 'log Orders.java:42 \"big order {id}\" if qty > 100 && name.startsWith(\"A\")' --exec 'wait 1m'",
                "  sonde probe 4242 --exec 'monitor dev.shop.Orders.place every 5s' --exec 'wait 1m' --exec detach --json",
                "",
                "JDK 21+ prints a warning when an agent is loaded into a running JVM; start the JVM with",
                "-XX:+EnableDynamicAgentLoading (or -javaagent:) to load it quietly. Only the JVM's user can connect."})
public final class ProbeCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern DURATION = Pattern.compile("([0-9]+)(ms|s|m)");

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

    private PrintStream out;
    private PrintStream err;

    @Override
    public Integer call() {
        out = root.out();
        err = root.err();
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
                if (words.size() < 3) {
                    throw new IllegalArgumentException("log needs a line and a text: log Orders.java:42 \"total {total}\".");
                }
                LogArguments log = LogArguments.parse(line);
                ObjectNode request = AgentClient.op("log").put("location", log.location()).put("text", log.text())
                        .put("limit", log.limit() == null ? 100 : positive(log.limit(), "limit"));
                if (log.condition() != null) {
                    request.put("condition", log.condition());
                }
                return request.put("allowInvoke", allowInvoke);
            }
            case "monitor" -> {
                if (words.size() != 2 && !(words.size() == 4 && words.get(2).equals("every"))) {
                    throw new IllegalArgumentException("monitor takes a method and an optional interval: monitor dev.shop.Orders.place every 5s.");
                }
                long every = words.size() == 4 ? millis(words.get(3)) : 5000;
                return AgentClient.op("monitor").put("method", words.get(1)).put("everyMillis", every);
            }
            case "probes", "detach", "quit" -> {
                return AgentClient.op(command);
            }
            case "remove", "delete" -> {
                if (words.size() != 2) {
                    throw new IllegalArgumentException("remove takes a probe id: remove 1 (`probes` lists them).");
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
                print("log LOC \"text {expr}\" [if EXPR] [limit N] | monitor pkg.Class.method [every 5s] | probes | remove ID | wait 5s | detach | quit", false);
                return null;
            }
            default -> throw new IllegalArgumentException("Unknown command '" + command + "'; the commands are log, monitor, probes, remove,"
                    + " wait, detach, quit and help.");
        }
    }

    private static int positive(String word, String what) {
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
            throw new IllegalArgumentException("'" + word + "' is not a duration; write it as 500ms, 5s or 2m.");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> n;
            case "s" -> n * 1000;
            default -> n * 60_000;
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
            case "log", "monitor" -> "Probe " + describe(result.path("probe"));
            case "probes" -> probes(result.path("probes"));
            case "remove", "delete" -> "Removed probe " + result.path("removed").path(0).asInt() + "; its class has its original bytecode again.";
            case "detach" -> "Removed " + result.path("removedCount").asInt() + " probe(s) and restored their classes; the agent stays loaded, idle.";
            case "quit" -> result.path("armed").asInt() == 0 ? "Bye." : result.path("armed").asInt() + " probe(s) stay armed; `sonde probe " + pid
                    + "` reconnects, `detach` removes them.";
            default -> result.toString();
        }, false);
    }

    private static String describe(JsonNode probe) {
        return probe.path("id").asInt() + ": " + switch (probe.path("kind").asText()) {
            case "log" -> "log at " + probe.path("location").asText() + " (in " + probe.path("method").asText() + ") \""
                    + probe.path("text").asText() + "\", up to " + probe.path("limit").asInt() + " lines/s, " + probe.path("printed").asLong()
                    + " printed, " + probe.path("dropped").asLong() + " dropped";
            default -> "monitor " + probe.path("location").asText() + " every " + probe.path("everyMillis").asLong() / 1000.0 + "s, "
                    + probe.path("calls").asLong() + " calls so far";
        };
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
        if (json) {
            ObjectNode line = JSON.createObjectNode().put("type", "event");
            line.setAll((ObjectNode) event);
            out.println(line);
            return;
        }
        String probe = "[probe " + event.path("probe").asInt() + "] ";
        print(switch (event.path("event").asText()) {
            case "log" -> probe + event.path("text").asText();
            case "dropped" -> probe + event.path("dropped").asLong() + " lines dropped (limit " + event.path("limit").asInt() + " lines/s)";
            case "monitor" -> probe + event.path("method").asText() + ": " + event.path("calls").asLong() + " calls, "
                    + event.path("errors").asLong() + " errors, mean " + event.path("meanMicros").asDouble() + " µs, p50 "
                    + event.path("p50Micros").asDouble() + " µs, p99 " + event.path("p99Micros").asDouble() + " µs";
            default -> "agent: " + event.path("text").asText(event.toString());
        }, false);
    }

    private void print(String text, boolean error) {
        (error ? err : out).println(text);
    }
}
