package dev.sonde.jdi.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A debug session's logpoints, snapshots and conditional breakpoints served by the Sonde agent inside the target, in process, so
 * a hit costs the target microseconds instead of a JDWP round trip. A logpoint's lines come from the agent; a
 * breakpoint's condition and hit count are decided in the agent, which calls the marker that carries the session's
 * JDWP breakpoint only when they hold ({@link StopMarker}). Breakpoints keep their ids; what the agent cannot serve
 * goes through JDWP, and the session is told why, once per reason.
 */
public final class AgentBreakpoints implements AutoCloseable {

    /** About 100 years: a debug session's probes live as long as their breakpoints. */
    private static final long SESSION_PROBE_EXPIRY_MILLIS = 100L * 365 * 24 * 3_600_000;
    /**
     * A debug session's probe may use a quarter of a core before the agent takes it out: the user chose to debug this JVM
     * (JDWP would cost far more), and the cap still stops a runaway probe. It is outside the budget of all probes together.
     */
    private static final double SESSION_PROBE_CPU_PERCENT = 25;

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
    private final Runnable markerNeeded;
    private final Predicate<Location> running;
    private final String address;
    private final Consumer<Event> events;
    private final Set<String> said = ConcurrentHashMap.newKeySet();
    /** A breakpoint's probes: one per class loader that has its class (the agent arms it in each). */
    private final Map<Integer, List<Integer>> probeOfBreakpoint = new ConcurrentHashMap<>();
    private final Map<Integer, Integer> breakpointOfProbe = new ConcurrentHashMap<>();
    private final Map<Integer, String> classOfBreakpoint = new ConcurrentHashMap<>();
    private final Map<Integer, Breakpoint> servedBreakpoints = new ConcurrentHashMap<>();
    private final Map<Integer, List<JsonNode>> early = new ConcurrentHashMap<>();
    private volatile CompletableFuture<AgentClient> connecting;
    private volatile boolean closed;

    /**
     * @param localPid the target's pid when it runs on this machine, else empty (read only when a logpoint is set)
     * @param address  the target's debug address, for the sentence about a remote target
     * @param targetHeld     whether every thread of the target is suspended (the agent's too, so it cannot answer)
     * @param classRewritten told the name of each class the agent rewrote, after it did: the JVM drops that class's
     *                       breakpoints, so JDWP must set them again
     * @param markerNeeded   sets the JDWP breakpoint in the agent's stop marker, before the first conditional stop is armed
     * @param running        whether some thread is inside the method of a location now: a rewrite reaches later calls only
     * @param events         where agent output goes, as the session's events
     */
    public AgentBreakpoints(ProbeRoute route, Supplier<OptionalLong> localPid, BooleanSupplier targetHeld, Consumer<String> classRewritten,
                            Runnable markerNeeded, Predicate<Location> running, String address, Consumer<Event> events) {
        this.markerNeeded = markerNeeded;
        this.running = running;
        this.route = route;
        this.localPid = localPid;
        this.targetHeld = targetHeld;
        this.classRewritten = classRewritten;
        this.address = address;
        this.events = events;
    }

    /**
     * Why this breakpoint cannot run in the agent, or empty when it can: a logpoint on a line (with or without a
     * condition), or a stop on a line with a condition or a hit count. Other breakpoints go through JDWP without a word.
     */
    public Optional<String> refusal(int id, BreakpointSpec spec, BreakpointOptions options) {
        if (!wanted(options)) {
            return Optional.empty();
        }
        String what = name(id, options);
        if (!(spec instanceof BreakpointSpec.FileLine || spec instanceof BreakpointSpec.ClassLine)) {
            return Optional.of(what + " is on a method, and the agent takes lines only");
        }
        if (options.temporary()) {
            return Optional.of(what + " is temporary, which the agent does not take yet");
        }
        if (options.action() instanceof BreakpointAction.Stop) {
            return ClassRefresh.available() ? Optional.empty() : Optional.of(what + " would stop in code the agent rewrote, which this"
                    + " sonde cannot show without --add-opens jdk.jdi/com.sun.tools.jdi=ALL-UNNAMED (sonde.jar has it)");
        }
        if (options.hitCondition() != null) {
            return Optional.of(what + " has a hit count, which the agent takes for stops only");
        }
        if (options.action() instanceof BreakpointAction.Snapshot snapshot) {
            return snapshot.watches().stream().anyMatch(w -> w.contains("\n"))
                    ? Optional.of(what + " watches an expression of several lines, which the agent does not take") : Optional.empty();
        }
        LogTemplate template = LogTemplate.parse(((BreakpointAction.Log) options.action()).template());
        for (LogTemplate.Part part : template.parts()) {
            if (part instanceof LogTemplate.Text text && (text.text().contains("{") || text.text().contains("}"))) {
                return Optional.of(what + " writes a literal brace, which the agent's messages cannot hold");
            }
        }
        return Optional.empty();
    }

    /**
     * Whether the session asks the agent for this breakpoint at all, unless probes.mode is jdwp: a logpoint, a snapshot,
     * or a stop with a condition or a hit count (a plain stop costs nothing the agent could save).
     */
    public boolean wanted(BreakpointOptions options) {
        // `in OPERATION` is checked by the debugger, reading the hit thread's operations: such a breakpoint stays with JDWP.
        return route != ProbeRoute.JDWP && options.operation() == null && (options.action() instanceof BreakpointAction.Log
                || options.action() instanceof BreakpointAction.Snapshot
                || options.action() instanceof BreakpointAction.Stop && (options.condition() != null || options.hitCondition() != null));
    }

    private static String name(int id, BreakpointOptions options) {
        return (options.action() instanceof BreakpointAction.Log ? "Logpoint " : "Breakpoint ") + id;
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
            return jdwp(name(id, options) + " is in a class not loaded yet, and the agent rewrites loaded classes only").isPresent();
        }
        Location at = viaJdwp.locations().get(0);
        if (viaJdwp.locations().stream().anyMatch(l -> !l.className().equals(at.className()))) {
            return jdwp(name(id, options) + " is in " + viaJdwp.locations().size() + " classes, and the agent takes one").isPresent();
        }
        if (targetHeld.getAsBoolean()) {
            return jdwp(name(id, options) + " is set while the target is stopped, when the agent (held with it) cannot rewrite code")
                    .isPresent();
        }
        try {
            client();
        } catch (Unavailable e) {
            return jdwp(e.getMessage()).isPresent();
        }
        if (running.test(at)) {
            return jdwp(name(id, options) + " is in a call of " + at.method() + " that is running and does not end, and the agent's"
                    + " rewrite reaches only later calls").isPresent();
        }
        return true;
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
        ObjectNode request;
        if (options.action() instanceof BreakpointAction.Log log) {
            request = AgentClient.op("log").put("text", log.template());
        } else if (options.action() instanceof BreakpointAction.Snapshot snapshot) {
            request = AgentClient.op("snap").put("max", snapshot.max()).put("frames", snapshot.frames())
                    .put("watch", String.join("\n", snapshot.watches()));
        } else {
            markerNeeded.run();
            request = AgentClient.op("stop");
            if (options.hitCondition() != null) {
                request.put("hits", options.hitCondition().describe());
            }
        }
        // The session removes its probes when the breakpoint goes or the session ends; they must not expire before.
        request.put("location", at.className() + ":" + at.line()).put("allowInvoke", options.allowInvoke())
                .put("expiryMillis", SESSION_PROBE_EXPIRY_MILLIS).put("cpuPercent", SESSION_PROBE_CPU_PERCENT).put("sharedBudget", false);
        if (options.condition() != null) {
            request.put("condition", options.condition());
        }
        JsonNode answer;
        try {
            answer = client.request(request);
        } catch (AgentClient.AgentUnavailable e) {
            return jdwp("The Sonde agent stopped answering (" + strip(e.getMessage()) + ")");
        }
        if (!answer.path("ok").asBoolean()) {
            return jdwp("The Sonde agent refused " + name(id, options).toLowerCase(java.util.Locale.ROOT) + " ("
                    + strip(answer.path("error").asText()) + ")");
        }
        List<Integer> probes = new java.util.ArrayList<>();
        answer.path("armed").forEach(armed -> probes.add(armed.path("id").asInt()));
        if (probes.isEmpty()) {
            probes.add(answer.path("probe").path("id").asInt());
        }
        probeOfBreakpoint.put(id, List.copyOf(probes));
        probes.forEach(probe -> breakpointOfProbe.put(probe, id));
        classOfBreakpoint.put(id, at.className());
        Breakpoint served = Breakpoint.verified(id, spec, options, List.of(at));
        servedBreakpoints.put(id, served);
        classRewritten.accept(at.className());
        for (int probe : probes) {
            List<JsonNode> held = early.remove(probe);
            if (held != null) {
                held.forEach(this::agentEvent);
            }
        }
        early.clear();
        return Optional.of(served);
    }

    /** The breakpoint a conditional stop of the agent belongs to, by its probe id; null when it is not this session's. */
    public Integer breakpointOfProbe(int probe) {
        return breakpointOfProbe.get(probe);
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
        List<Integer> probes = probeOfBreakpoint.remove(id);
        if (probes == null) {
            return;
        }
        String className = classOfBreakpoint.remove(id);
        servedBreakpoints.remove(id);
        probes.forEach(breakpointOfProbe::remove);
        AgentClient client = connectedClient();
        if (client != null) {
            CompletableFuture.runAsync(() -> {
                probes.forEach(probe -> remove(client, probe));
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

    /**
     * Without the lock: the agent's events (a probe removed, say) call this on the client's reader thread, while set()
     * may hold the lock waiting for the answer that thread reads next.
     */
    private AgentClient connectedClient() {
        CompletableFuture<AgentClient> current = connecting;
        return current != null && current.isDone() && !current.isCompletedExceptionally() ? current.join() : null;
    }

    /** Goes through JDWP, telling the session why the first time this reason comes up; in agent mode, fails instead. */
    private Optional<Breakpoint> jdwp(String why) {
        if (route == ProbeRoute.AGENT) {
            throw SondeException.badState(why + "; probes.mode is agent, so it is not set (probes.mode auto would use JDWP).");
        }
        String sentence = why + ", so it goes through JDWP.";
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
            case "snapshot" -> {
                if (breakpoint != null) {
                    events.accept(AgentSnapshots.of(breakpoint, event));
                }
            }
            case "removed" -> {
                if (breakpoint != null) {
                    finished(breakpoint);
                }
            }
            case "disabled", "expired" -> {
                if (breakpoint != null) {
                    // The agent took the probe out (over the CPU budget, or its expiry): the breakpoint ends with it.
                    events.accept(new Event.Output(OutputCategory.CONSOLE, "Breakpoint " + breakpoint + " ended in the agent: "
                            + event.path("text").asText() + System.lineSeparator()));
                    finished(breakpoint);
                }
            }
            case "dropped" -> {
                if (breakpoint != null) {
                    boolean snapshots = servedBreakpoints.get(breakpoint) instanceof Breakpoint served
                            && served.options().action() instanceof BreakpointAction.Snapshot;
                    events.accept(new Event.Output(OutputCategory.CONSOLE, (snapshots ? "Breakpoint " : "Logpoint ") + breakpoint + " dropped "
                            + event.path("dropped").asLong() + (snapshots ? " snapshots" : " lines") + " over its limit of "
                            + event.path("limit").asInt() + " a second." + System.lineSeparator()));
                }
            }
            case "error" -> events.accept(new Event.Error(event.path("text").asText()));
            default -> {
                // other probes' output (another client's `sonde probe`) is not this session's
            }
        }
    }

    /**
     * A snapshot breakpoint's probe took its last capture and removed itself in the agent: the breakpoint ends as the
     * JDWP one does after its last capture. Its other probes (other class loaders) go too.
     */
    private void finished(int breakpoint) {
        List<Integer> probes = probeOfBreakpoint.remove(breakpoint);
        String className = classOfBreakpoint.remove(breakpoint);
        Breakpoint last = servedBreakpoints.remove(breakpoint);
        if (probes == null) {
            return;
        }
        probes.forEach(breakpointOfProbe::remove);
        AgentClient client = connectedClient();
        CompletableFuture.runAsync(() -> {
            if (client != null && probes.size() > 1) {
                probes.forEach(probe -> remove(client, probe));
            }
            try {
                // the agent gave the class its original bytecode, which drops its JDWP breakpoints
                classRewritten.accept(className);
            } catch (RuntimeException sessionOver) {
                // the debug connection ended meanwhile: no breakpoints to set again
            }
        }, REMOVERS);
        if (last != null) {
            events.accept(new Event.BreakpointChanged(last, Event.BreakpointChanged.Change.REMOVED));
        }
    }

    /** A sentence without its final period, to sit inside another sentence. */
    private static String strip(String sentence) {
        String s = sentence.strip();
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}
