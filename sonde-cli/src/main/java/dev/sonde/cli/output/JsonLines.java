package dev.sonde.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.cli.console.Outcome;
import dev.sonde.cli.console.Reply;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.classes.Instances;
import dev.sonde.core.classes.LoadedClass;
import dev.sonde.core.classes.MethodInfo;
import dev.sonde.core.hotswap.Redefinition;
import dev.sonde.core.locks.Deadlock;
import dev.sonde.core.locks.LockRef;
import dev.sonde.core.locks.MonitorReport;
import dev.sonde.core.locks.ThreadLocks;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.model.FrameLocals;
import dev.sonde.core.model.WatchResult;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.AsyncSegment;
import dev.sonde.core.model.OpenOperation;
import dev.sonde.core.model.RuntimeContext;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.session.WaitOutcome;
import dev.sonde.core.stats.SessionStats;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * One JSON object per line for every command result and every event; the schema is in docs/json-lines.md.
 * Lines are written whole and flushed at once, so a reader can act on each as it comes.
 */
public final class JsonLines implements Output {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final PrintStream out;

    public JsonLines(PrintStream out) {
        this.out = out;
    }

    @Override
    public void outcome(Outcome outcome) {
        write(result(outcome));
    }

    @Override
    public void event(Event event) {
        write(eventNode(event));
    }

    /** An event as the JSON object its line holds. */
    public static ObjectNode eventNode(Event event) {
        return event(event, NODES.objectNode());
    }

    @Override
    public void note(String text) {
        // narration is for people
    }

    private void write(ObjectNode node) {
        String line;
        try {
            line = MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    static ObjectNode result(Outcome outcome) {
        ObjectNode node = NODES.objectNode().put("type", "result").put("command", outcome.command()).put("ok", outcome.ok());
        switch (outcome) {
            case Outcome.Ok ok -> reply(ok.reply(), node);
            case Outcome.Failed failed -> node.put("error", failed.error().getMessage())
                    .put("errorKind", failed.error().kind().name().toLowerCase(Locale.ROOT));
            case Outcome.Quit ignored -> {
            }
        }
        return node;
    }

    private static void redefinition(Redefinition redefinition, ObjectNode node) {
        node.put("message", redefinition.summary());
        switch (redefinition) {
            case Redefinition.Replaced replaced -> {
                replaced.classes().forEach(node.putArray("replaced")::add);
                replaced.unchanged().forEach(node.putArray("unchanged")::add);
                replaced.notLoaded().forEach(node.putArray("notLoaded")::add);
                ArrayNode stale = node.putArray("staleFrames");
                replaced.staleFrames().forEach(frame -> stale.addObject().put("threadId", frame.threadId())
                        .put("thread", frame.threadName()).put("frame", frame.frameIndex()).put("method", frame.method()));
            }
            case Redefinition.Refused refused -> {
                refused.classes().forEach(node.putArray("refused")::add);
                node.put("reason", refused.reason());
            }
        }
    }

    private static void reply(Reply reply, ObjectNode node) {
        switch (reply) {
            case Reply.Done done -> node.put("message", done.message());
            case Reply.Connected connected -> {
                node.put("address", connected.address()).put("target", connected.target()).put("kind", connected.kind())
                        .put("held", connected.held());
                if (connected.pid() > 0) {
                    node.put("pid", connected.pid());
                }
            }
            case Reply.BreakpointSet set -> node.set("breakpoint", breakpoint(set.breakpoint()));
            case Reply.BreakpointsDeleted deleted -> {
                ArrayNode ids = node.putArray("deleted");
                deleted.ids().forEach(ids::add);
            }
            case Reply.BreakpointList list -> {
                ArrayNode breakpoints = node.putArray("breakpoints");
                for (int i = 0; i < list.breakpoints().size(); i++) {
                    breakpoints.add(breakpoint(list.breakpoints().get(i)).put("hits", list.hits().get(i)));
                }
            }
            case Reply.ThreadList list -> {
                ArrayNode threads = node.putArray("threads");
                list.threads().forEach(t -> threads.add(thread(t)));
                if (list.current() != 0) {
                    node.put("current", list.current());
                }
            }
            case Reply.ThreadSelected selected -> node.set("thread", thread(selected.thread()));
            case Reply.Stack stack -> {
                node.put("threadId", stack.threadId()).put("current", stack.current());
                ArrayNode frames = node.putArray("frames");
                stack.frames().forEach(f -> frames.add(frame(f)));
                ArrayNode async = node.putArray("async");
                for (AsyncSegment segment : stack.async()) {
                    async.add(handOff(segment));
                }
                if (stack.runtime() != null) {
                    runtimeContext(stack.runtime(), node);
                }
            }
            case Reply.FrameSelected selected -> node.set("frame", frame(selected.frame()));
            case Reply.Locals locals -> {
                if (locals.frame() != null) {
                    node.set("frame", frame(locals.frame()));
                }
                node.set("variables", variables(locals.variables()));
            }
            case Reply.Printed printed -> {
                node.put("expression", printed.expression());
                value(printed.value(), node);
            }
            case Reply.Waited waited -> {
                switch (waited.outcome()) {
                    case WaitOutcome.Stopped stopped -> {
                        node.put("outcome", "stopped");
                        node.set("stopped", event(stopped.event(), NODES.objectNode()));
                    }
                    case WaitOutcome.Terminated terminated -> {
                        node.put("outcome", "terminated");
                        node.set("terminated", event(terminated.event(), NODES.objectNode()));
                    }
                    case WaitOutcome.TimedOut timedOut -> node.put("outcome", "timeout");
                }
            }
            case Reply.Stats stats -> node.set("stats", stats(stats.stats()));
            case Reply.Expanded expanded -> node.put("ref", expanded.ref()).set("variables", variables(expanded.fields()));
            case Reply.Classes classes -> {
                node.put("pattern", classes.list().pattern()).put("total", classes.list().total()).put("omitted", classes.list().omitted());
                ArrayNode list = node.putArray("classes");
                classes.list().classes().forEach(c -> list.add(loadedClass(c)));
            }
            case Reply.Methods methods -> {
                node.setAll(loadedClass(methods.methods().type()));
                ArrayNode list = node.putArray("methods");
                for (MethodInfo method : methods.methods().methods()) {
                    ObjectNode entry = list.addObject().put("name", method.name()).put("signature", method.signature())
                            .put("returnType", method.returnType());
                    ArrayNode arguments = entry.putArray("argumentTypes");
                    method.argumentTypes().forEach(arguments::add);
                    entry.put("static", method.isStatic()).put("native", method.isNative()).put("abstract", method.isAbstract())
                            .put("synthetic", method.isSynthetic());
                    if (method.firstLine() > 0) {
                        entry.put("firstLine", method.firstLine()).put("lastLine", method.lastLine());
                    }
                }
            }
            case Reply.InstanceList instances -> {
                node.put("class", instances.className());
                ArrayNode types = node.putArray("types");
                for (Instances type : instances.types()) {
                    ObjectNode entry = loadedClass(type.type()).put("count", type.count());
                    ArrayNode first = entry.putArray("instances");
                    type.first().forEach(v -> {
                        ObjectNode value = first.addObject();
                        value(v, value);
                    });
                    types.add(entry);
                }
            }
            case Reply.Monitors monitors -> monitors(monitors.report(), node);
            case Reply.Redefined redefined -> redefinition(redefined.redefinition(), node);
            case Reply.Help help -> {
                ArrayNode commands = node.putArray("commands");
                for (Reply.CommandHelp command : help.commands()) {
                    ObjectNode entry = commands.addObject().put("usage", command.usage()).put("summary", command.summary());
                    ArrayNode aliases = entry.putArray("aliases");
                    command.aliases().forEach(aliases::add);
                    if (!command.examples().isEmpty()) {
                        ArrayNode examples = entry.putArray("examples");
                        command.examples().forEach(examples::add);
                    }
                }
            }
        }
    }

    static ObjectNode event(Event event, ObjectNode node) {
        node.put("type", "event").put("event", event.kind());
        switch (event) {
            case Event.Stopped stopped -> {
                node.put("reason", stopped.reason().label());
                if (stopped.thread() != null) {
                    node.set("thread", threadRef(stopped.thread()));
                }
                if (stopped.location() != null) {
                    node.set("location", location(stopped.location()));
                }
                ArrayNode ids = node.putArray("breakpoints");
                stopped.breakpointIds().forEach(ids::add);
                node.put("allThreads", stopped.allThreads());
                if (stopped.detail() != null) {
                    detail(stopped.detail(), node);
                }
                if (stopped.async() != null) {
                    node.set("async", handOff(stopped.async()));
                }
                runtimeContext(stopped.runtime(), node);
            }
            case Event.Snapshot snapshot -> {
                node.put("breakpoint", snapshot.breakpointId()).put("source", snapshot.viaAgent() ? "agent" : "jdwp")
                        .put("sequence", snapshot.sequence()).put("time", snapshot.time().toString());
                node.set("thread", threadRef(snapshot.thread()));
                ArrayNode frames = node.putArray("frames");
                snapshot.stack().forEach(f -> frames.add(frame(f)));
                ArrayNode locals = node.putArray("locals");
                for (FrameLocals frame : snapshot.locals()) {
                    locals.addObject().put("frame", frame.frameIndex()).set("variables", variables(frame.variables()));
                }
                ArrayNode watches = node.putArray("watches");
                for (WatchResult watch : snapshot.watches()) {
                    ObjectNode entry = watches.addObject().put("expression", watch.expression());
                    if (watch.value() != null) {
                        value(watch.value(), entry);
                    } else {
                        entry.put("error", watch.error());
                    }
                }
            }
            case Event.Continued continued -> {
                node.put("allThreads", continued.allThreads());
                if (!continued.allThreads()) {
                    node.put("threadId", continued.threadId());
                }
            }
            case Event.Output output -> {
                node.put("category", output.category().label()).put("text", output.text());
                if (output.breakpointId() > 0) {
                    node.put("breakpoint", output.breakpointId()).put("source", output.viaAgent() ? "agent" : "jdwp");
                }
            }
            case Event.ThreadStarted started -> node.set("thread", threadRef(started.thread()));
            case Event.ThreadExited exited -> node.put("threadId", exited.threadId()).put("name", exited.name());
            case Event.BreakpointChanged changed -> {
                node.put("change", changed.change().label());
                node.set("breakpoint", breakpoint(changed.breakpoint()));
            }
            case Event.Terminated terminated -> {
                node.put("reason", terminated.reason());
                if (terminated.exitCode() != null) {
                    node.put("exitCode", terminated.exitCode());
                }
            }
            case Event.Error error -> node.put("message", error.message());
        }
        return node;
    }

    private static void detail(StopDetail detail, ObjectNode node) {
        switch (detail) {
            case StopDetail.ExceptionThrown thrown -> {
                ObjectNode exception = node.putObject("exception").put("type", thrown.type()).put("message", thrown.message())
                        .put("uncaught", thrown.uncaught());
                if (thrown.catchAt() != null) {
                    exception.set("catchLocation", location(thrown.catchAt()));
                }
            }
            case StopDetail.Returning returning -> value(returning.value(), node.putObject("returnValue").put("method", returning.method()));
            case StopDetail.FieldModified modified -> {
                ObjectNode field = node.putObject("field").put("name", modified.field()).put("access", "modify");
                value(modified.oldValue(), field.putObject("old"));
                value(modified.newValue(), field.putObject("new"));
            }
            case StopDetail.FieldAccessed accessed -> {
                ObjectNode field = node.putObject("field").put("name", accessed.field()).put("access", "read");
                value(accessed.value(), field.putObject("current"));
            }
        }
    }

    /** One hand-off of an async stack: {@code {kind, thread, ageMillis, frames}}, the machinery's frames marked. */
    static ObjectNode handOff(AsyncSegment segment) {
        ObjectNode handOff = NODES.objectNode().put("kind", segment.kind()).put("thread", segment.thread()).put("ageMillis", segment.ageMillis());
        ArrayNode scheduling = handOff.putArray("frames");
        for (Frame f : segment.frames()) {
            ObjectNode one = frame(f);
            if (AsyncSegment.machinery(f.location())) {
                one.put("machinery", true);
            }
            scheduling.add(one);
        }
        return handOff;
    }

    /** {@code operation} (the innermost open, with {@code enclosing} ones) and {@code scopes}, when the thread has any. */
    static void runtimeContext(RuntimeContext runtime, ObjectNode node) {
        OpenOperation innermost = runtime.operation();
        if (innermost != null) {
            ObjectNode operation = openOperation(innermost);
            if (runtime.operations().size() > 1) {
                ArrayNode enclosing = operation.putArray("enclosing");
                runtime.operations().subList(1, runtime.operations().size()).forEach(outer -> enclosing.add(openOperation(outer)));
            }
            node.set("operation", operation);
        }
        if (!runtime.scopes().isEmpty()) {
            ArrayNode scopes = node.putArray("scopes");
            runtime.scopes().forEach(scopes::add);
        }
    }

    private static ObjectNode openOperation(OpenOperation open) {
        ObjectNode operation = NODES.objectNode().put("name", open.name()).put("id", open.id());
        if (open.ageMillis() >= 0) {
            operation.put("ageMillis", open.ageMillis());
        }
        return operation.put("thread", open.thread());
    }

    static ObjectNode breakpoint(Breakpoint breakpoint) {
        ObjectNode node = NODES.objectNode()
                .put("id", breakpoint.id())
                .put("spec", breakpoint.spec().describe())
                .put("temporary", breakpoint.options().temporary())
                .put("verified", breakpoint.verified());
        BreakpointOptions options = breakpoint.options();
        if (options.operation() != null) {
            node.put("operation", options.operation());
        }
        if (options.condition() != null) {
            node.put("condition", options.condition());
        }
        if (options.hitCondition() != null) {
            node.put("hitCondition", options.hitCondition().describe());
        }
        switch (options.action()) {
            case BreakpointAction.Log log -> node.put("action", "log").put("logMessage", log.template());
            case BreakpointAction.Snapshot snapshot -> {
                node.put("action", "snapshot").put("max", snapshot.max());
                ArrayNode watches = node.putArray("watch");
                snapshot.watches().forEach(watches::add);
            }
            case BreakpointAction.Stop ignored -> node.put("action", "stop");
        }
        if (!options.allowInvoke()) {
            node.put("invoke", false);
        }
        if (breakpoint.reason() != null) {
            node.put("reason", breakpoint.reason());
        }
        ArrayNode locations = node.putArray("locations");
        breakpoint.locations().forEach(l -> locations.add(location(l)));
        return node;
    }

    static ObjectNode location(Location location) {
        ObjectNode node = NODES.objectNode().put("class", location.className());
        node.put("method", location.method());
        node.put("file", location.file());
        node.put("line", location.line());
        return node;
    }

    static ObjectNode frame(Frame frame) {
        return location(frame.location()).put("index", frame.index());
    }

    private static ObjectNode threadRef(ThreadInfo thread) {
        return NODES.objectNode().put("id", thread.id()).put("name", thread.name()).put("virtual", thread.virtual());
    }

    private static ObjectNode thread(ThreadInfo thread) {
        return threadRef(thread).put("state", thread.status().label()).put("suspended", thread.suspended());
    }

    static ArrayNode variables(List<Variable> variables) {
        ArrayNode array = NODES.arrayNode();
        for (Variable variable : variables) {
            ObjectNode node = array.addObject().put("name", variable.name());
            value(variable.value(), node);
            node.put("kind", variable.kind().name().toLowerCase(Locale.ROOT));
            if (variable.value() instanceof Value.ObjectRef object && object.fields() != null) {
                node.set("fields", variables(object.fields()));
            }
        }
        return array;
    }

    private static void value(Value value, ObjectNode node) {
        node.put("value", value.render()).put("valueType", value.type());
        if (value.ref() != 0) {
            node.put("ref", value.ref());
        }
    }

    private static ObjectNode loadedClass(LoadedClass type) {
        return NODES.objectNode().put("class", type.name()).put("loader", type.loader());
    }

    private static void monitors(MonitorReport report, ObjectNode node) {
        if (report.suspendedMillis() >= 0) {
            node.put("suspendedMillis", report.suspendedMillis());
        }
        ArrayNode deadlocks = node.putArray("deadlocks");
        for (Deadlock deadlock : report.deadlocks()) {
            ObjectNode entry = deadlocks.addObject().put("description", deadlock.describe());
            ArrayNode ids = entry.putArray("threadIds");
            deadlock.cycle().forEach(t -> ids.add(t.threadId()));
        }
        ArrayNode threads = node.putArray("threads");
        for (ThreadLocks thread : report.threads()) {
            ObjectNode entry = threads.addObject().put("id", thread.threadId()).put("name", thread.threadName());
            ArrayNode owned = entry.putArray("owned");
            thread.owned().forEach(lock -> owned.add(lock(lock)));
            if (thread.awaited() != null) {
                entry.set("awaited", lock(thread.awaited()));
                entry.put("wait", thread.waitKind().label());
                if (thread.ownerId() != 0) {
                    entry.put("ownerId", thread.ownerId());
                }
            }
        }
    }

    private static ObjectNode lock(LockRef lock) {
        return NODES.objectNode().put("type", lock.type()).put("id", lock.id()).put("label", lock.label())
                .put("kind", lock.synchronizer() ? "synchronizer" : "monitor");
    }

    private static ObjectNode stats(SessionStats stats) {
        ObjectNode node = NODES.objectNode()
                .put("startedAt", stats.startedAt().toString())
                .put("durationMillis", stats.duration().toMillis())
                .put("timeStoppedMillis", stats.timeStopped().toMillis())
                .put("stops", stats.stops());
        ObjectNode events = node.putObject("eventsByKind");
        stats.eventsByKind().forEach(events::put);
        ObjectNode hits = node.putObject("hitsByBreakpoint");
        stats.hitsByBreakpoint().forEach((id, count) -> hits.put(Integer.toString(id), count));
        node.put("duration", DurationText.format(stats.duration()));
        return node;
    }
}
