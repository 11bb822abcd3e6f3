package dev.sonde.dap.client.breakpoints;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.breakpoints.HitCondition;
import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import org.eclipse.lsp4j.debug.Capabilities;
import org.eclipse.lsp4j.debug.SourceBreakpoint;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Sonde's breakpoints on a DAP server. DAP sets breakpoints a source file at a time, each request replacing the
 * file's whole set, so the book keeps each file's list, resends it on every change, and maps Sonde's ids to the
 * server's (which may start at 0) by position in the answer.
 */
public final class SourceBreakpoints {

    /** Sends a file's whole set of breakpoints and returns the server's answer, one per breakpoint, in order. */
    @FunctionalInterface
    public interface Sender {
        org.eclipse.lsp4j.debug.Breakpoint[] send(String path, SourceBreakpoint[] breakpoints);
    }

    /** The breakpoint added, and others of its file that the server now sees differently. */
    public record Added(Breakpoint breakpoint, List<Breakpoint> changed) {
    }

    /** One breakpoint and what the server last said of it. */
    private static final class Entry {
        final int id;
        final BreakpointSpec.FileLine spec;
        final BreakpointOptions options;
        final String path;
        final boolean foundHere;
        Integer serverId;
        boolean verified;
        int line;
        String message;

        Entry(int id, BreakpointSpec.FileLine spec, BreakpointOptions options, String path, boolean foundHere) {
            this.id = id;
            this.spec = spec;
            this.options = options;
            this.path = path;
            this.foundHere = foundHere;
            this.line = spec.line();
        }
    }

    private final Sender sender;
    private final Capabilities capabilities;
    private final SourceFiles files;
    /** Held across a file's request and the update of its entries, so two changes to one file cannot interleave. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, List<Entry>> bySource = new LinkedHashMap<>();
    private final Map<Integer, Entry> byId = new HashMap<>();

    public SourceBreakpoints(Sender sender, Capabilities capabilities, SourceFiles files) {
        this.sender = sender;
        this.capabilities = capabilities;
        this.files = files;
    }

    /** Sets a breakpoint: the file's whole set goes to the server again, the new one with it. */
    public Added add(int id, BreakpointSpec spec, BreakpointOptions options) {
        BreakpointSpec.FileLine fileLine = requireSupported(spec, options);
        String path = files.resolve(fileLine.file());
        lock.lock();
        try {
            Entry entry = new Entry(id, fileLine, options, path, files.found(path));
            List<Entry> source = bySource.computeIfAbsent(path, p -> new ArrayList<>());
            source.add(entry);
            byId.put(id, entry);
            List<Breakpoint> before = source.stream().map(this::toBreakpoint).toList();
            try {
                send(path);
            } catch (RuntimeException e) {
                source.remove(entry);
                byId.remove(id);
                if (source.isEmpty()) {
                    bySource.remove(path);
                }
                throw e;
            }
            List<Breakpoint> changed = new ArrayList<>();
            for (int i = 0; i < source.size(); i++) {
                Breakpoint now = toBreakpoint(source.get(i));
                if (source.get(i) != entry && !now.equals(before.get(i))) {
                    changed.add(now);
                }
            }
            return new Added(toBreakpoint(entry), changed);
        } finally {
            lock.unlock();
        }
    }

    /** Removes breakpoints (those that exist) and sends their files' sets again. */
    public void remove(List<Integer> ids) {
        lock.lock();
        try {
            List<String> touched = new ArrayList<>();
            for (int id : ids) {
                Entry entry = byId.remove(id);
                if (entry != null) {
                    bySource.get(entry.path).remove(entry);
                    if (!touched.contains(entry.path)) {
                        touched.add(entry.path);
                    }
                }
            }
            for (String path : touched) {
                send(path);
                if (bySource.get(path).isEmpty()) {
                    bySource.remove(path);
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** The temporary breakpoints among {@code ids}: they are done after this hit. */
    public List<Integer> temporary(List<Integer> ids) {
        lock.lock();
        try {
            return ids.stream().filter(id -> byId.containsKey(id) && byId.get(id).options.temporary()).toList();
        } finally {
            lock.unlock();
        }
    }

    /** The breakpoints a thread stopped at {@code path:line} has hit (for servers that do not say which). */
    public List<Integer> at(String path, int line) {
        lock.lock();
        try {
            return byId.values().stream()
                    .filter(e -> e.verified && e.line == line && SourceFiles.same(e.path, path))
                    .filter(e -> e.options.action() instanceof BreakpointAction.Stop)
                    .map(e -> e.id).sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /** Sonde's ids for the server's breakpoint ids. */
    public List<Integer> ofServerIds(Integer[] serverIds) {
        lock.lock();
        try {
            List<Integer> ids = new ArrayList<>();
            for (Integer serverId : serverIds) {
                byId.values().stream().filter(e -> serverId != null && serverId.equals(e.serverId)).forEach(e -> ids.add(e.id));
            }
            return ids.stream().sorted().toList();
        } finally {
            lock.unlock();
        }
    }

    /** What a {@code breakpoint} event from the server changes, if it is about one of Sonde's breakpoints. */
    public Optional<Event.BreakpointChanged> serverChanged(String reason, org.eclipse.lsp4j.debug.Breakpoint changed) {
        if (changed == null || changed.getId() == null) {
            return Optional.empty();
        }
        lock.lock();
        try {
            Entry entry = byId.values().stream().filter(e -> changed.getId().equals(e.serverId)).findFirst().orElse(null);
            if (entry == null) {
                return Optional.empty();
            }
            if ("removed".equals(reason)) {
                byId.remove(entry.id);
                bySource.get(entry.path).remove(entry);
                return Optional.of(new Event.BreakpointChanged(toBreakpoint(entry), Event.BreakpointChanged.Change.REMOVED));
            }
            apply(entry, changed);
            return Optional.of(new Event.BreakpointChanged(toBreakpoint(entry), Event.BreakpointChanged.Change.UPDATED));
        } finally {
            lock.unlock();
        }
    }

    // Called with lock held.
    private void send(String path) {
        List<Entry> source = bySource.get(path);
        SourceBreakpoint[] wanted = source.stream().map(SourceBreakpoints::toSourceBreakpoint).toArray(SourceBreakpoint[]::new);
        org.eclipse.lsp4j.debug.Breakpoint[] answer = sender.send(path, wanted);
        for (int i = 0; i < source.size(); i++) {
            if (answer != null && i < answer.length && answer[i] != null) {
                apply(source.get(i), answer[i]);
            } else {
                source.get(i).verified = false;
                source.get(i).message = "the debug server did not say whether it set it";
            }
        }
    }

    private static void apply(Entry entry, org.eclipse.lsp4j.debug.Breakpoint said) {
        if (said.getId() != null) {
            entry.serverId = said.getId();
        }
        entry.verified = said.isVerified();
        entry.message = said.getMessage();
        if (said.getLine() != null && said.getLine() > 0) {
            entry.line = said.getLine();
        }
    }

    private Breakpoint toBreakpoint(Entry entry) {
        if (entry.verified) {
            return Breakpoint.verified(entry.id, entry.spec, entry.options,
                    List.of(SourceFiles.location(entry.path, SourceFiles.pythonFunctionAt(entry.path, entry.line), entry.line)));
        }
        String why = entry.message == null || entry.message.isBlank() ? "the debug server has not set it yet"
                : uncapitalized(entry.message.strip().replaceFirst("\\.$", ""));
        if (!entry.foundHere) {
            why += "; give the file's path as the target sees it, like /app/" + entry.spec.fileName();
        }
        return Breakpoint.unverified(entry.id, entry.spec, entry.options, why);
    }

    private static SourceBreakpoint toSourceBreakpoint(Entry entry) {
        SourceBreakpoint breakpoint = new SourceBreakpoint();
        breakpoint.setLine(entry.spec.line());
        breakpoint.setCondition(entry.options.condition());
        if (entry.options.hitCondition() != null) {
            breakpoint.setHitCondition(hitCondition(entry.options.hitCondition()));
        }
        if (entry.options.action() instanceof BreakpointAction.Log log) {
            breakpoint.setLogMessage(log.template());
        }
        return breakpoint;
    }

    /** The hit-count form that debugpy and most DAP servers read: {@code == N}, {@code % N}, {@code > N}. */
    static String hitCondition(HitCondition hits) {
        return switch (hits.kind()) {
            case HITS -> "== " + hits.count();
            case EVERY -> "% " + hits.count();
            case AFTER -> "> " + hits.count();
        };
    }

    private BreakpointSpec.FileLine requireSupported(BreakpointSpec spec, BreakpointOptions options) {
        if (!(spec instanceof BreakpointSpec.FileLine fileLine)) {
            throw unsupported("A DAP target takes breakpoints at FILE:LINE, like app.py:12, not " + spec.describe() + ".");
        }
        switch (options.action()) {
            case BreakpointAction.Snapshot ignored -> throw unsupported(
                    "Snapshot points need a JVM target; on a DAP target, use a breakpoint or a logpoint.");
            case BreakpointAction.Log ignored when !Boolean.TRUE.equals(capabilities.getSupportsLogPoints()) -> throw unsupported(
                    "This debug server does not support logpoints; use a breakpoint instead.");
            default -> {
            }
        }
        if (options.operation() != null) {
            throw unsupported("`in " + options.operation() + "` reads sonde-runtime operations, which only a JVM target has; set the breakpoint without it.");
        }
        if (options.condition() != null && !Boolean.TRUE.equals(capabilities.getSupportsConditionalBreakpoints())) {
            throw unsupported("This debug server does not support conditional breakpoints; set the breakpoint without `if`.");
        }
        if (options.hitCondition() != null && !Boolean.TRUE.equals(capabilities.getSupportsHitConditionalBreakpoints())) {
            throw unsupported("This debug server does not support hit counts; set the breakpoint without hits, every or after.");
        }
        boolean runsCode = options.condition() != null || options.action() instanceof BreakpointAction.Log log && log.template().contains("{");
        if (runsCode && !options.allowInvoke()) {
            throw unsupported("A DAP server runs code in the target to evaluate conditions and log messages, and invocation is off;"
                    + " drop --no-invoke to set this breakpoint.");
        }
        return fileLine;
    }

    private static SondeException unsupported(String message) {
        return new SondeException(ErrorKind.UNSUPPORTED, message);
    }

    private static String uncapitalized(String text) {
        return text.isEmpty() ? text : Character.toLowerCase(text.charAt(0)) + text.substring(1);
    }
}
