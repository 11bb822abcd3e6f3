package dev.sonde.agent.core;

import dev.sonde.agent.channel.AgentServer;
import dev.sonde.agent.channel.Json;
import dev.sonde.agent.probes.BudgetSettings;
import dev.sonde.agent.probes.ProbeRefused;
import dev.sonde.agent.probes.ProbeTable;
import dev.sonde.agent.probes.ProbeBudget;
import dev.sonde.agent.probes.StopProbe;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The agent once loaded: its probe table, its socket and the clock that reports monitors and dropped lines. */
public final class AgentCore {

    public static final int DEFAULT_LINES_PER_SECOND = BudgetSettings.DEFAULTS.linesPerSecond();
    public static final long DEFAULT_MONITOR_MILLIS = 5000;
    public static final int DEFAULT_SNAPSHOT_FRAMES = 2;
    public static final int DEFAULT_TRACE_DEPTH = 3;
    /** About 100 years: the expiry of a debugger's stop, which the session removes itself. */
    private static final long NEVER_EXPIRES = 100L * 365 * 24 * 3_600_000;
    private static final Set<String> WATCH_SHOWS = Set.of("args", "return", "throw");

    private final ProbeTable table;

    private AgentCore(ProbeTable table) {
        this.table = table;
    }

    /** Called once, reflectively, by {@code SondeAgent} from the agent's own class loader. */
    public static void start(Instrumentation instrumentation, Path directory) throws IOException {
        AgentServer[] server = new AgentServer[1];
        ProbeTable table = new ProbeTable(instrumentation, event -> server[0].broadcast(event.put("source", "agent")));
        AgentCore core = new AgentCore(table);
        server[0] = AgentServer.start(directory, core::handle);
        WarmUp.start();
        Thread clock = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(100);
                    table.tick();
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException e) {
                    // a report that failed is skipped; the next tick tries again
                }
            }
        }, "sonde-agent-clock");
        clock.setDaemon(true);
        clock.start();
    }

    Json.Obj handle(Map<String, Object> request) {
        Object op = request.get("op");
        try {
            return switch (String.valueOf(op)) {
                case "log" -> placed(table.addLog(text(request, "location"), text(request, "text"), condition(request),
                        allowInvoke(request), budget(request)));
                case "snap" -> {
                    String watches = request.get("watch") instanceof String w ? w : "";
                    yield placed(table.addSnap(text(request, "location"), (int) number(request, "max", 0),
                            (int) number(request, "frames", DEFAULT_SNAPSHOT_FRAMES), watches.isBlank() ? List.of() : List.of(watches.split("\n")),
                            condition(request), allowInvoke(request), budget(request)));
                }
                case "watch" -> {
                    String show = request.get("show") instanceof String w && !w.isBlank() ? w : "args return";
                    Set<String> shows = new LinkedHashSet<>(List.of(show.strip().split("\\s+")));
                    if (!WATCH_SHOWS.containsAll(shows)) {
                        throw new ProbeRefused("watch shows args, return and throw, not '" + show + "'.");
                    }
                    yield placed(table.addWatch(text(request, "method"), shows, condition(request), allowInvoke(request), budget(request)));
                }
                case "stop" -> {
                    Object hits = request.get("hits");
                    // a debugger's breakpoint lives as long as the session has it, unless the request gives an expiry
                    ProbeBudget budget = budget(request);
                    if (!(request.get("expiryMillis") instanceof Number)) {
                        budget = new ProbeBudget(budget.linesPerSecond(), budget.cpuPercent(), budget.ownCpuBudget(), NEVER_EXPIRES, budget.shared());
                    }
                    yield placed(table.addStop(text(request, "location"), condition(request), allowInvoke(request),
                            hits instanceof String h ? hitCount(h) : StopProbe.HitCount.ALL, budget));
                }
                case "trace" -> placed(table.addTrace(text(request, "method"), (int) number(request, "depth", DEFAULT_TRACE_DEPTH),
                        number(request, "everyMillis", DEFAULT_MONITOR_MILLIS), budget(request)));
                case "monitor" -> placed(table.addMonitor(text(request, "method"), number(request, "everyMillis", DEFAULT_MONITOR_MILLIS),
                        budget(request)));
                case "settings" -> {
                    table.budgets().settings(table.budgets().settings().with(request));
                    yield ok().put("settings", table.budgets().settings().describe());
                }
                case "probes" -> ok().put("probes", table.describeAll());
                case "remove" -> {
                    int id = (int) number(request, "probe", -1);
                    if (!table.remove(id)) {
                        yield AgentServer.refusal("There is no probe " + id + "; `probes` lists them.");
                    }
                    yield ok().put("removed", List.of(id));
                }
                case "detach" -> ok().put("removedCount", table.removeAll());
                case "quit" -> ok().put("armed", table.list().size());
                default -> AgentServer.refusal("The agent does not know the request '" + op + "'; it takes log, snap, watch, trace,"
                        + " monitor, stop, settings, probes, remove, detach and quit.");
            };
        } catch (ProbeRefused e) {
            return AgentServer.refusal(e.getMessage());
        }
    }

    /** The answer to a new probe: the first probe armed (or the one waiting for its class), and every one armed. */
    private Json.Obj placed(ProbeTable.Placement placement) {
        List<Json.Obj> armed = placement.armed().stream().map(table::describe).toList();
        return ok().put("probe", armed.isEmpty() ? placement.waiting() : armed.get(0)).put("armed", armed);
    }

    private ProbeBudget budget(Map<String, Object> request) {
        return table.budgets().settings().forProbe(request);
    }

    private static boolean allowInvoke(Map<String, Object> request) {
        return Boolean.TRUE.equals(request.get("allowInvoke"));
    }

    private static String condition(Map<String, Object> request) {
        return request.get("condition") instanceof String condition && !condition.isBlank() ? condition : null;
    }

    /** {@code hits N}, {@code every N} or {@code after N}. */
    private static StopProbe.HitCount hitCount(String text) {
        String[] words = text.strip().split("\\s+");
        try {
            if (words.length == 2) {
                return new StopProbe.HitCount(words[0], Long.parseLong(words[1]));
            }
        } catch (NumberFormatException e) {
            // the sentence below
        }
        throw new ProbeRefused("'" + text + "' is not a hit count; write hits N, every N or after N.");
    }

    private static Json.Obj ok() {
        return new Json.Obj().put("ok", true);
    }

    private static String text(Map<String, Object> request, String key) {
        if (!(request.get(key) instanceof String value) || value.isBlank()) {
            throw new ProbeRefused("The request has no '" + key + "'.");
        }
        return value;
    }

    private static long number(Map<String, Object> request, String key, long fallback) {
        Object value = request.get(key);
        return value instanceof Number n ? n.longValue() : fallback;
    }
}
