package dev.sonde.jdi.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.agent.ProbeRoute;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.breakpoints.LogTemplate;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.model.Location;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A debug session's logpoints served by the Sonde agent inside the target, in process, so a hit costs the target
 * microseconds instead of a JDWP round trip. The breakpoint keeps its id and its output its attribution; what the agent
 * cannot serve goes through JDWP, and the session is told why, once per reason.
 */
public final class AgentLogpoints implements AutoCloseable {

    /** How long setting the first logpoint waits for the agent to load and answer. */
    private static final long CONNECT_SECONDS = 10;
    /** How long ending the session waits for the agent to remove the session's probes. */
    private static final long CLOSE_SECONDS = 5;
    /** Where removals wait for a held target to run again, off the backend's request threads. */
    private static final java.util.concurrent.Executor REMOVERS = task -> Thread.ofVirtual().name("sonde-agent-remove").start(task);

    private final ProbeRoute route;
    private final Supplier<OptionalLong> localPid;
    private final BooleanSupplier targetHeld;
    private final Consumer<String> classRewritten;
    private final String address;
    private final Consumer<Event> events;
    private final Set<String> said = ConcurrentHashMap.newKeySet();
    private final Map<Integer, Integer> probeOfBreakpoint = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> breakpointOfProbe = new ConcurrentHashMap<>();
    private final Map<Integer, String> classOfBreakpoint = new ConcurrentHashMap<>();
    private final Map<Integer, List<JsonNode>> early = new ConcurrentHashMap<>();
    private CompletableFuture<AgentClient> connecting;
    private volatile boolean closed;

    /**
     * @param localPid the target's pid when it runs on this machine, else empty (read only when a logpoint is set)
     * @param address  the target's debug address, for the sentence about a remote target
     * @param targetHeld     whether every thread of the target is suspended (the agent's too, so it cannot answer)
     * @param classRewritten told the name of each class the agent rewrote, after it did: the JVM drops that class's
     *                       breakpoints, so JDWP must set them again
     * @param events         where agent output goes, as the session's events
     */
    public AgentLogpoints(ProbeRoute route, Supplier<OptionalLong> localPid, BooleanSupplier targetHeld, Consumer<String> classRewritten,
                          String address, Consumer<Event> events) {
        this.route = route;
        this.localPid = localPid;
        this.targetHeld = targetHeld;
        this.classRewritten = classRewritten;
        this.address = address;
        this.events = events;
    }

    /**
     * Why this breakpoint cannot run in the agent, or empty when it can (so far: a plain logpoint on a line). Only
     * logpoints are served by the agent yet; every other breakpoint goes through JDWP without a word.
     */
    public Optional<String> refusal(int id, BreakpointSpec spec, BreakpointOptions options) {
        if (!wanted(options)) {
            return Optional.empty();
        }
        if (!(spec instanceof BreakpointSpec.FileLine || spec instanceof BreakpointSpec.ClassLine)) {
            return Optional.of("Logpoint " + id + " is on a method, and the agent takes lines only");
        }
        if (options.condition() != null || options.hitCondition() != null || options.temporary()) {
            return Optional.of("Logpoint " + id + " has a condition, a hit count or is temporary, which the agent does not take yet");
        }
        LogTemplate template = LogTemplate.parse(((BreakpointAction.Log) options.action()).template());
        for (LogTemplate.Part part : template.parts()) {
            if (part instanceof LogTemplate.Text text && (text.text().contains("{") || text.text().contains("}"))) {
                return Optional.of("Logpoint " + id + " writes a literal brace, which the agent's messages cannot hold");
            }
        }
        return Optional.empty();
    }

    /** Whether the session asks the agent for this breakpoint at all: a logpoint, unless probes.mode is jdwp. */
    public boolean wanted(BreakpointOptions options) {
        return route != ProbeRoute.JDWP && options.action() instanceof BreakpointAction.Log;
    }

    /** Loads the agent now, when the breakpoint may go to it, so the switch from JDWP in {@link #set} is quick. */
    public void warmUp(int id, BreakpointSpec spec, BreakpointOptions options) {
        if (wanted(options) && refusal(id, spec, options).isEmpty() && !targetHeld.getAsBoolean()) {
            try {
                client();
            } catch (Unavailable e) {
                // said by set()
            }
        }
    }

    /**
     * Whether the agent may take logpoint {@code id}, set through JDWP as {@code viaJdwp}: when not, the session has
     * been told why (once per reason) and it stays with JDWP.
     *
     * @throws SondeException when probes.mode is agent and the agent cannot take it
     */
    public synchronized boolean mayTake(int id, BreakpointSpec spec, BreakpointOptions options, Breakpoint viaJdwp) {
        if (!wanted(options)) {
            return false;
        }
        Optional<String> refused = refusal(id, spec, options);
        if (refused.isPresent()) {
            return jdwp(refused.get()).isPresent();
        }
        if (!viaJdwp.verified()) {
            return jdwp("Logpoint " + id + " is in a class not loaded yet, and the agent rewrites loaded classes only").isPresent();
        }
        Location at = viaJdwp.locations().get(0);
        if (viaJdwp.locations().stream().anyMatch(l -> !l.className().equals(at.className()))) {
            return jdwp("Logpoint " + id + " is in " + viaJdwp.locations().size() + " classes, and the agent takes one").isPresent();
        }
        if (targetHeld.getAsBoolean()) {
            return jdwp("Logpoint " + id + " is set while the target is stopped, when the agent (held with it) cannot rewrite code")
                    .isPresent();
        }
        try {
            client();
            return true;
        } catch (Unavailable e) {
            return jdwp(e.getMessage()).isPresent();
        }
    }

    /**
     * Sets logpoint {@code id} in the agent, at the one class and line that JDWP found for it ({@link #mayTake} said yes).
     *
     * @return the breakpoint as the agent has it, or empty when the agent refused it (the session has been told why)
     * @throws SondeException when probes.mode is agent and the agent refused it
     */
    public synchronized Optional<Breakpoint> set(int id, BreakpointSpec spec, BreakpointOptions options, Breakpoint viaJdwp) {
        Location at = viaJdwp.locations().get(0);
        AgentClient client;
        try {
            client = client();
        } catch (Unavailable e) {
            return jdwp(e.getMessage());
        }
        String template = ((BreakpointAction.Log) options.action()).template();
        JsonNode answer;
        try {
            answer = client.request(AgentClient.op("log").put("location", at.className() + ":" + at.line()).put("text", template));
        } catch (AgentClient.AgentUnavailable e) {
            return jdwp("The Sonde agent stopped answering (" + strip(e.getMessage()) + ")");
        }
        if (!answer.path("ok").asBoolean()) {
            return jdwp("The Sonde agent refused logpoint " + id + " (" + strip(answer.path("error").asText()) + ")");
        }
        int probe = answer.path("probe").path("id").asInt();
        probeOfBreakpoint.put(id, probe);
        breakpointOfProbe.put(probe, id);
        classOfBreakpoint.put(id, at.className());
        classRewritten.accept(at.className());
        List<JsonNode> held = early.remove(probe);
        if (held != null) {
            held.forEach(this::agentEvent);
        }
        early.clear();
        return Optional.of(Breakpoint.verified(id, spec, options, List.of(at)));
    }

    /** Whether the agent serves breakpoint {@code id}. */
    public boolean serves(int id) {
        return probeOfBreakpoint.containsKey(id);
    }

    /**
     * Removes logpoint {@code id}: its output stops at once, and the agent gives its class back its original bytecode
     * as soon as it can run (at once, or when a stopped target resumes: the agent's threads are held with the rest).
     */
    public void clear(int id) {
        Integer probe = probeOfBreakpoint.remove(id);
        if (probe == null) {
            return;
        }
        String className = classOfBreakpoint.remove(id);
        breakpointOfProbe.remove(probe);
        AgentClient client = connectedClient();
        if (client != null) {
            CompletableFuture.runAsync(() -> {
                remove(client, probe);
                try {
                    classRewritten.accept(className);
                } catch (RuntimeException sessionOver) {
                    // the debug connection ended meanwhile: no breakpoints to set again
                }
            }, REMOVERS);
        }
    }

    /**
     * Removes every probe this session set and lets go of the agent, which stays loaded and idle. Waits a little for
     * the removals, which a target that is still held cannot do; they then happen when it runs again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        AgentClient client = connectedClient();
        if (client == null) {
            return;
        }
        List<Integer> probes = List.copyOf(breakpointOfProbe.keySet());
        probeOfBreakpoint.clear();
        breakpointOfProbe.clear();
        CompletableFuture<Void> removed = CompletableFuture.runAsync(() -> {
            probes.forEach(probe -> remove(client, probe));
            client.close();
        }, REMOVERS);
        try {
            removed.get(CLOSE_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // the removals go on in the background while the process lives
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void remove(AgentClient client, int probe) {
        try {
            client.request(AgentClient.op("remove").put("probe", probe));
        } catch (AgentClient.AgentUnavailable gone) {
            // the target has gone, and its probes with it
        }
    }

    /** Why the agent cannot be had, as a clause that the session's sentence completes. */
    private static final class Unavailable extends Exception {
        Unavailable(String clause) {
            super(clause, null, false, false);
        }
    }

    private synchronized AgentClient client() throws Unavailable {
        if (connecting == null) {
            OptionalLong pid = localPid.get();
            if (pid.isEmpty()) {
                throw new Unavailable("The target at " + address + " is not a JVM on this machine");
            }
            connecting = CompletableFuture.supplyAsync(() -> {
                AgentClient client = AgentClient.connect(pid.getAsLong());
                client.onEvent(this::agentEvent);
                return client;
            });
        }
        try {
            return connecting.get(CONNECT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new Unavailable("The Sonde agent did not load into the target within " + CONNECT_SECONDS + "s (is every thread held?)");
        } catch (ExecutionException e) {
            String why = e.getCause() instanceof AgentClient.AgentUnavailable unavailable ? strip(unavailable.getMessage()) : String.valueOf(e.getCause());
            throw new Unavailable("The Sonde agent cannot be used: " + why);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Unavailable("Loading the Sonde agent was interrupted");
        }
    }

    private synchronized AgentClient connectedClient() {
        return connecting != null && connecting.isDone() && !connecting.isCompletedExceptionally() ? connecting.join() : null;
    }

    /** Goes through JDWP, telling the session why the first time this reason comes up; in agent mode, fails instead. */
    private Optional<Breakpoint> jdwp(String why) {
        if (route == ProbeRoute.AGENT) {
            throw SondeException.badState(why + "; probes.mode is agent, so the logpoint is not set (probes.mode auto would use JDWP).");
        }
        String sentence = why + ", so the logpoint goes through JDWP.";
        if (said.add(sentence)) {
            events.accept(new Event.Output(OutputCategory.CONSOLE, sentence + System.lineSeparator()));
        }
        return Optional.empty();
    }

    private void agentEvent(JsonNode event) {
        if (closed) {
            return;
        }
        int probe = event.path("probe").asInt();
        Integer breakpoint = breakpointOfProbe.get(probe);
        if (breakpoint == null && probe > 0 && !event.path("event").asText().equals("error")) {
            // A hit may come before the answer that names its probe: keep a few until set() maps it.
            List<JsonNode> held = early.computeIfAbsent(probe, p -> new java.util.concurrent.CopyOnWriteArrayList<>());
            if (held.size() < 100) {
                held.add(event);
            }
            return;
        }
        switch (event.path("event").asText()) {
            case "log" -> {
                if (breakpoint != null) {
                    events.accept(new Event.Output(OutputCategory.LOG, event.path("text").asText() + System.lineSeparator(), breakpoint, true));
                }
            }
            case "dropped" -> {
                if (breakpoint != null) {
                    events.accept(new Event.Output(OutputCategory.CONSOLE, "Logpoint " + breakpoint + " dropped " + event.path("dropped").asLong()
                            + " lines over its limit of " + event.path("limit").asInt() + " a second." + System.lineSeparator()));
                }
            }
            case "error" -> events.accept(new Event.Error(event.path("text").asText()));
            default -> {
                // other probes' output (another client's `sonde probe`) is not this session's
            }
        }
    }

    /** A sentence without its final period, to sit inside another sentence. */
    private static String strip(String sentence) {
        String s = sentence.strip();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
