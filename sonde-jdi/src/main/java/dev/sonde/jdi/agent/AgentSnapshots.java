package dev.sonde.jdi.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.FrameLocals;
import dev.sonde.core.model.Location;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.ThreadStatus;
import dev.sonde.core.model.Value;
import dev.sonde.core.model.Variable;
import dev.sonde.core.model.VariableKind;
import dev.sonde.core.model.WatchResult;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The agent's {@code snapshot} event as the {@link Event.Snapshot} a JDWP capture gives. The agent sends values already
 * rendered, so each keeps that text: a primitive as a primitive, null as null, and any other value as an object whose
 * summary is the agent's rendering (with its fields, when the agent read them).
 */
final class AgentSnapshots {

    private static final Set<String> PRIMITIVES = Set.of("boolean", "byte", "char", "short", "int", "long", "float", "double");

    private AgentSnapshots() {
    }

    static Event.Snapshot of(int breakpointId, JsonNode event) {
        JsonNode thread = event.path("thread");
        ThreadInfo info = new ThreadInfo(thread.path("id").asLong(), thread.path("name").asText(), ThreadStatus.RUNNING,
                thread.path("virtual").asBoolean(), false);
        List<Frame> stack = new ArrayList<>();
        for (JsonNode frame : event.path("frames")) {
            Location at = new Location(frame.path("class").asText(), frame.path("method").asText(),
                    frame.hasNonNull("file") ? frame.path("file").asText() : null, frame.path("line").asInt());
            stack.add(new Frame(frame.path("index").asInt(stack.size()), at, frame.path("line").asInt() == -2));
        }
        List<FrameLocals> locals = new ArrayList<>();
        for (JsonNode frame : event.path("locals")) {
            locals.add(new FrameLocals(frame.path("frame").asInt(), variables(frame.path("variables"))));
        }
        List<WatchResult> watches = new ArrayList<>();
        for (JsonNode watch : event.path("watches")) {
            String expression = watch.path("expression").asText();
            watches.add(watch.has("error") ? WatchResult.failed(expression, watch.path("error").asText())
                    : WatchResult.of(expression, value(watch, null)));
        }
        return new Event.Snapshot(breakpointId, event.path("sequence").asLong(), time(event.path("time").asText()), info, stack, locals,
                watches, true);
    }

    private static List<Variable> variables(JsonNode variables) {
        List<Variable> out = new ArrayList<>();
        for (JsonNode variable : variables) {
            List<Variable> fields = variable.has("fields") ? variables(variable.path("fields")) : null;
            String type = variable.path("valueType").asText();
            out.add(new Variable(variable.path("name").asText(), type, value(variable, fields), kind(variable.path("kind").asText())));
        }
        return out;
    }

    private static Value value(JsonNode node, List<Variable> fields) {
        String type = node.path("valueType").asText();
        String rendered = node.path("value").asText();
        if (PRIMITIVES.contains(type)) {
            return new Value.Primitive(type, rendered);
        }
        if (rendered.equals("null")) {
            return new Value.Null(type);
        }
        return new Value.ObjectRef(type, 0, rendered, fields);
    }

    private static VariableKind kind(String kind) {
        try {
            return VariableKind.valueOf(kind.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return VariableKind.LOCAL;
        }
    }

    private static Instant time(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return Instant.now();
        }
    }
}
