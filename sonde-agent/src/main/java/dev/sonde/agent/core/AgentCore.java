package dev.sonde.agent.core;

import dev.sonde.agent.channel.AgentServer;
import dev.sonde.agent.channel.Json;
import dev.sonde.agent.probes.LogProbe;
import dev.sonde.agent.probes.MonitorProbe;
import dev.sonde.agent.probes.Probe;
import dev.sonde.agent.probes.ProbeRefused;
import dev.sonde.agent.probes.ProbeTable;
import dev.sonde.agent.probes.SnapProbe;
import dev.sonde.agent.probes.TraceProbe;
import dev.sonde.agent.probes.WatchProbe;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The agent once loaded: its probe table, its socket and the clock that reports monitors and dropped lines. */
public final class AgentCore {

    public static final int DEFAULT_LINES_PER_SECOND = 100;
    public static final long DEFAULT_MONITOR_MILLIS = 5000;
    public static final int DEFAULT_SNAPSHOT_FRAMES = 2;
    public static final int DEFAULT_TRACE_DEPTH = 3;
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
                case "log" -> {
                    Object condition = request.get("condition");
                    LogProbe probe = table.addLog(text(request, "location"), text(request, "text"),
                            condition instanceof String c ? c : null, Boolean.TRUE.equals(request.get("allowInvoke")),
                            (int) number(request, "limit", DEFAULT_LINES_PER_SECOND));
                    yield ok().put("probe", probe.describe());
                }
                case "monitor" -> {
                    MonitorProbe probe = table.addMonitor(text(request, "method"), number(request, "everyMillis", DEFAULT_MONITOR_MILLIS));
                    yield ok().put("probe", probe.describe());
                }
                case "snap" -> {
                    String watches = request.get("watch") instanceof String w ? w : "";
                    SnapProbe probe = table.addSnap(text(request, "location"), (int) number(request, "max", 0),
                            (int) number(request, "frames", DEFAULT_SNAPSHOT_FRAMES),
                            watches.isBlank() ? List.of() : List.of(watches.split("\n")), (int) number(request, "limit", DEFAULT_LINES_PER_SECOND),
                            condition(request), Boolean.TRUE.equals(request.get("allowInvoke")));
                    yield ok().put("probe", probe.describe());
                }
                case "watch" -> {
                    String show = request.get("show") instanceof String w && !w.isBlank() ? w : "args return";
                    Set<String> shows = new LinkedHashSet<>(List.of(show.strip().split("\\s+")));
                    if (!WATCH_SHOWS.containsAll(shows)) {
                        throw new ProbeRefused("watch shows args, return and throw, not '" + show + "'.");
                    }
                    WatchProbe probe = table.addWatch(text(request, "method"), shows, (int) number(request, "limit", DEFAULT_LINES_PER_SECOND),
                            condition(request), Boolean.TRUE.equals(request.get("allowInvoke")));
                    yield ok().put("probe", probe.describe());
                }
                case "trace" -> {
                    TraceProbe probe = table.addTrace(text(request, "method"), (int) number(request, "depth", DEFAULT_TRACE_DEPTH),
                            number(request, "everyMillis", DEFAULT_MONITOR_MILLIS));
                    yield ok().put("probe", probe.describe());
                }
                case "probes" -> ok().put("probes", table.list().stream().map(Probe::describe).toList());
                case "remove" -> {
                    int id = (int) number(request, "probe", -1);
                    if (!table.remove(id)) {
                        yield AgentServer.refusal("There is no probe " + id + "; `probes` lists them.");
                    }
                    yield ok().put("removed", List.of(id));
                }
                case "detach" -> ok().put("removedCount", table.removeAll());
                case "quit" -> ok().put("armed", table.list().size());
                default -> AgentServer.refusal("The agent does not know the request '" + op + "'; it takes log, snap, watch, trace, monitor, probes, remove, detach and quit.");
            };
        } catch (ProbeRefused e) {
            return AgentServer.refusal(e.getMessage());
        }
    }

    private static String condition(Map<String, Object> request) {
        return request.get("condition") instanceof String condition && !condition.isBlank() ? condition : null;
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
