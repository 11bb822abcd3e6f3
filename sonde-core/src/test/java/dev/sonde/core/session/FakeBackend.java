package dev.sonde.core.session;

import dev.sonde.core.backend.Backend;
import dev.sonde.core.backend.StepKind;
import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A backend with no target behind it, for the session's own logic only: it answers at once and sends
 * whatever events the test fires. (Everything that talks to a real target is tested against real JVMs.)
 */
final class FakeBackend implements Backend {

    private Consumer<Event> events;
    final List<String> calls = new ArrayList<>();
    /** When set, setBreakpoint fails with this. */
    SondeException breakpointFailure;
    /** Whether detach and terminate report the end themselves, as a real backend does. */
    boolean endsOnRequest = true;

    /** Sends an event as the backend's event thread would. */
    void fire(Event event) {
        events.accept(event);
    }

    @Override
    public void start(Consumer<Event> sink) {
        calls.add("start");
        this.events = sink;
    }

    @Override
    public TargetInfo target() {
        return new TargetInfo("jvm", "fake", "127.0.0.1:1", 42);
    }

    @Override
    public CompletableFuture<Breakpoint> setBreakpoint(int id, BreakpointSpec spec, BreakpointOptions options) {
        calls.add("setBreakpoint " + id);
        if (breakpointFailure != null) {
            return CompletableFuture.failedFuture(breakpointFailure);
        }
        return CompletableFuture.completedFuture(Breakpoint.unverified(id, spec, options, "not loaded"));
    }

    @Override
    public CompletableFuture<Void> clearBreakpoint(int id) {
        calls.add("clearBreakpoint " + id);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<ThreadInfo>> threads() {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<Frame>> stackTrace(long threadId, int start, int count) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<Variable>> variables(long threadId, int frameIndex, int depth) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<List<Variable>> children(long ref, int depth) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Value> evaluate(long threadId, int frameIndex, String expression, boolean allowInvoke) {
        return CompletableFuture.completedFuture(new Value.Primitive("int", 1));
    }

    @Override
    public CompletableFuture<Void> resume() {
        calls.add("resume");
        fire(new Event.Continued(0, true));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> resumeThread(long threadId) {
        fire(new Event.Continued(threadId, false));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> pause() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> pauseThread(long threadId) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> step(long threadId, StepKind kind) {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<String>> classNames(String prefix) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletableFuture<Void> detach() {
        calls.add("detach");
        if (endsOnRequest) {
            fire(new Event.Terminated("detached; the target keeps running", null));
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> terminate() {
        calls.add("terminate");
        if (endsOnRequest) {
            fire(new Event.Terminated("the target was killed", null));
        }
        return CompletableFuture.completedFuture(null);
    }
}
