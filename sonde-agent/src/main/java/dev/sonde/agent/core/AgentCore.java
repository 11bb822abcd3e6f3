package dev.sonde.agent.core;

import dev.sonde.agent.channel.AgentServer;
import dev.sonde.agent.channel.Json;
import dev.sonde.agent.probes.LogProbe;
import dev.sonde.agent.probes.MonitorProbe;
import dev.sonde.agent.probes.Probe;
import dev.sonde.agent.probes.ProbeRefused;
import dev.sonde.agent.probes.ProbeTable;

import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The agent once loaded: its probe table, its socket and the clock that reports monitors and dropped lines. */
public final class AgentCore {

    public static final int DEFAULT_LINES_PER_SECOND = 100;
    public static final long DEFAULT_MONITOR_MILLIS = 5000;

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
                default -> AgentServer.refusal("The agent does not know the request '" + op + "'; it takes log, monitor, probes, remove, detach and quit.");
            };
        } catch (ProbeRefused e) {
            return AgentServer.refusal(e.getMessage());
        }
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
