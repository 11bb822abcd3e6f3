package dev.sonde.jdi.values;

import com.sun.jdi.ArrayReference;
import com.sun.jdi.ClassType;
import com.sun.jdi.Field;
import com.sun.jdi.IntegerValue;
import com.sun.jdi.Method;
import com.sun.jdi.ObjectReference;
import com.sun.jdi.StringReference;
import com.sun.jdi.ThreadReference;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.ThrowableInfo;
import dev.sonde.jdi.eval.Evaluator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an exception and its causes: type and message from their fields, the stack through {@code getStackTrace()}
 * (the JVM fills it in lazily, so it has to run) with each element read from its fields, not its {@code toString}.
 */
public final class Throwables {

    /** A chain longer than this is cut: a cause cycle built by hand must not loop. */
    private static final int MAX_CAUSES = 20;

    private final Evaluator evaluator;
    private final Duration timeout;

    public Throwables(Evaluator evaluator, Duration timeout) {
        this.evaluator = evaluator;
        this.timeout = timeout;
    }

    public ThrowableInfo read(ThreadReference thread, ObjectReference exception) {
        List<ObjectReference> chain = new ArrayList<>();
        Set<ObjectReference> seen = new HashSet<>();
        for (ObjectReference at = exception; at != null && seen.add(at) && chain.size() < MAX_CAUSES; at = (ObjectReference) field(at, "cause")) {
            chain.add(at);
        }
        ThrowableInfo info = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            ObjectReference at = chain.get(i);
            info = new ThrowableInfo(at.referenceType().name(), text(field(at, "detailMessage")), stack(thread, at), info);
        }
        return info;
    }

    private List<String> stack(ThreadReference thread, ObjectReference exception) {
        if (!(exception.referenceType() instanceof ClassType type)) {
            return List.of();
        }
        Method getStackTrace = type.concreteMethodByName("getStackTrace", "()[Ljava/lang/StackTraceElement;");
        if (getStackTrace == null) {
            throw SondeException.notFound(type.name() + " is not an exception; exception details come with exception stops.");
        }
        ArrayReference elements = (ArrayReference) evaluator.invoke(thread, exception, getStackTrace, timeout);
        List<String> lines = new ArrayList<>();
        for (com.sun.jdi.Value value : elements == null ? List.<com.sun.jdi.Value>of() : elements.getValues()) {
            ObjectReference element = (ObjectReference) value;
            List<Field> fields = element.referenceType().allFields();
            Map<Field, com.sun.jdi.Value> read = element.getValues(fields);
            String declaringClass = text(valueOf(read, "declaringClass"));
            String method = text(valueOf(read, "methodName"));
            String file = text(valueOf(read, "fileName"));
            int line = valueOf(read, "lineNumber") instanceof IntegerValue number ? number.value() : -1;
            String where = line == -2 ? "Native Method" : file == null ? "Unknown Source" : line >= 0 ? file + ":" + line : file;
            lines.add(declaringClass + "." + method + "(" + where + ")");
        }
        return lines;
    }

    private static com.sun.jdi.Value valueOf(Map<Field, com.sun.jdi.Value> read, String name) {
        return read.entrySet().stream().filter(e -> e.getKey().name().equals(name)).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private static com.sun.jdi.Value field(ObjectReference object, String name) {
        Field field = object.referenceType().fieldByName(name);
        return field == null ? null : object.getValue(field);
    }

    private static String text(com.sun.jdi.Value value) {
        return value instanceof StringReference string ? string.value() : null;
    }
}
