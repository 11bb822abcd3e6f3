package dev.sonde.dap.server;

import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.StepTarget;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.dap.server.breakpoints.BreakpointBook;
import dev.sonde.dap.server.events.EventForwarder;
import dev.sonde.dap.server.hotswap.HotCodeReplacer;
import dev.sonde.dap.server.sources.LambdaColumns;
import dev.sonde.dap.server.sources.SourceRoots;
import dev.sonde.dap.server.ids.IdTable;
import dev.sonde.dap.server.threads.FrameRef;
import dev.sonde.dap.server.threads.StopReads;
import dev.sonde.dap.server.variables.Container;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The state of one DAP connection: the client, the target it debugs once launched or attached, and the id
 * mappings between DAP and Sonde. Handlers and the event forwarder share it.
 */
public final class DebugContext {

    private final SondeDebugClient client;
    private final TargetFactory targets;
    private final DapOptions options;
    private final ConnectionEnds connection;
    private final EventForwarder events;
    /** Stable for the session; a Sonde thread id that fits keeps its number, so the ids a client shows match Sonde's own. */
    private final IdTable<Long> threads = IdTable.keepingNumbers(id -> id > 0 && id <= Integer.MAX_VALUE ? (int) (long) id : 0,
            id -> "There is no thread " + id + "; ask for the threads again.");
    private final IdTable<FrameRef> frames = IdTable.counting(
            id -> "Frame " + id + " is not from the current stop; ask for the stack trace again.");
    private final StopReads stopReads = new StopReads();
    private final IdTable<Container> variables = IdTable.counting(
            id -> "Variables reference " + id + " is not from the current stop; ask for the scopes of a frame again.");
    private final IdTable<StepTarget> stepTargets = IdTable.counting(
            id -> "Step target " + id + " is not from the current stop; ask for the step-in targets again.");
    private final BreakpointBook breakpoints = new BreakpointBook();
    private final Map<String, Runnable> afterResponse = new ConcurrentHashMap<>();
    private final AtomicReference<Integer> pauseRequestedFor = new AtomicReference<>();
    private final AtomicReference<Debuggee> debuggee = new AtomicReference<>();
    private volatile SourceRoots sources = new SourceRoots(List.of());
    private final LambdaColumns lambdaColumns = new LambdaColumns();
    private volatile ClientConventions conventions = ClientConventions.DEFAULT;
    private volatile HotCodeReplacer hotCodeReplacer;

    /**
     * How the connection ends.
     *
     * @param disconnected called once the response to a disconnect is out
     * @param lost         called when the client can no longer be reached
     */
    record ConnectionEnds(Runnable disconnected, Runnable lost) {
    }

    DebugContext(SondeDebugClient client, TargetFactory targets, DapOptions options, ConnectionEnds connection) {
        this.client = client;
        this.targets = targets;
        this.options = options;
        this.connection = connection;
        this.events = new EventForwarder(this);
    }

    public SondeDebugClient client() {
        return client;
    }

    public TargetFactory targets() {
        return targets;
    }

    public DapOptions options() {
        return options;
    }

    /** The listener that turns the session's events into DAP events; subscribe it when opening the session. */
    public EventForwarder events() {
        return events;
    }

    /** DAP thread ids for Sonde's thread ids. */
    public IdTable<Long> threads() {
        return threads;
    }

    /** DAP frame ids for the frames shown since the target last stopped. */
    public IdTable<FrameRef> frames() {
        return frames;
    }

    /** The stack and top locals of the current stop, read ahead of the client's requests. */
    public StopReads stopReads() {
        return stopReads;
    }

    /** DAP variablesReferences for the containers shown since the target last stopped. */
    public IdTable<Container> variables() {
        return variables;
    }

    /** DAP ids for the calls offered by stepInTargets since the target last stopped. */
    public IdTable<StepTarget> stepTargets() {
        return stepTargets;
    }

    public BreakpointBook breakpoints() {
        return breakpoints;
    }

    public SourceRoots sources() {
        return sources;
    }

    /** Where lambda bodies start in the client's source files, for column breakpoints. */
    public LambdaColumns lambdaColumns() {
        return lambdaColumns;
    }

    public void sources(SourceRoots roots) {
        this.sources = roots;
    }

    /** Hot code replace of the launch's (or attach's) output directories, when it named any. */
    public Optional<HotCodeReplacer> hotCodeReplacer() {
        return Optional.ofNullable(hotCodeReplacer);
    }

    public void hotCodeReplacer(HotCodeReplacer replacer) {
        this.hotCodeReplacer = replacer;
    }

    public ClientConventions conventions() {
        return conventions;
    }

    public void conventions(ClientConventions clientConventions) {
        this.conventions = clientConventions;
    }

    /** Session settings for the target: the adapter's request timeout, and what closing does to the target. */
    public SessionOptions sessionOptions(SessionOptions.CloseAction onClose) {
        return SessionOptions.DEFAULT.withRequestTimeout(options.requestTimeout()).withOnClose(onClose);
    }

    public Optional<Debuggee> debuggee() {
        return Optional.ofNullable(debuggee.get());
    }

    /** The session with the target; fails when there is none yet. */
    public Session session() {
        Debuggee current = debuggee.get();
        if (current == null) {
            throw SondeException.badState("No program is being debugged yet; send a launch or attach request first.");
        }
        return current.session();
    }

    /** Fails when this connection already debugs a target: one target per connection. */
    public void requireNoDebuggee() {
        Debuggee current = debuggee.get();
        if (current != null) {
            throw SondeException.badState("This connection already debugs " + current.session().name()
                    + "; open another connection to debug another program.");
        }
    }

    /** Sets the target, once; launch and attach check {@link #requireNoDebuggee()} first. */
    public void debuggee(Debuggee target) {
        debuggee.set(target);
    }

    /** Forgets a target that could not be reached, so the client may launch or attach again. */
    public void unreachable(Debuggee target) {
        debuggee.compareAndSet(target, null);
    }

    /** Remembers the thread a pause request named, for the stop it causes. */
    public void pauseRequestedFor(int dapThreadId) {
        pauseRequestedFor.set(dapThreadId);
    }

    /** The thread the last pause request named, once. */
    public Optional<Integer> takePauseRequest() {
        return Optional.ofNullable(pauseRequestedFor.getAndSet(null));
    }

    /** Forgets the frames and variables of a stop; DAP lets their ids die when the target resumes. */
    public void targetResumed() {
        stopReads.clear();
        frames.clear();
        variables.clear();
        stepTargets.clear();
    }

    /** Runs {@code action} once the response to the current {@code command} request has been written. */
    public void afterResponse(String command, Runnable action) {
        afterResponse.put(command, action);
    }

    void responseSent(String command) {
        Runnable action = command == null ? null : afterResponse.remove(command);
        if (action != null) {
            action.run();
        }
    }

    /** Says the client has disconnected: its session is over. */
    public void disconnected() {
        connection.disconnected().run();
    }

    /** Ends the connection with a client that can no longer be reached; its session ends as if it had left. */
    public void clientLost() {
        connection.lost().run();
    }
}
