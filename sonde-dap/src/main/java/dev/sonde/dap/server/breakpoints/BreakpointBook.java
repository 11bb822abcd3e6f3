package dev.sonde.dap.server.breakpoints;

import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.model.Location;
import dev.sonde.core.session.Session;
import dev.sonde.dap.server.ClientConventions;
import dev.sonde.dap.server.sources.SourceRoots;
import org.eclipse.lsp4j.debug.Source;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The breakpoints a DAP client asked for, in groups it replaces as a whole (the breakpoints of one source file,
 * the function breakpoints, the exception breakpoints), and the Sonde breakpoints that serve them. A request
 * equal to one already served keeps its Sonde breakpoint, so setting the breakpoints of a file again does not
 * disturb the others. DAP breakpoint ids are Sonde's.
 */
public final class BreakpointBook {

    /** The group of the function breakpoints. */
    public static final String FUNCTIONS = "functions";
    /** The group of the exception breakpoints. */
    public static final String EXCEPTIONS = "exceptions";

    /**
     * One breakpoint the client asked for.
     *
     * @param spec    where, or null when the request could not be read (then {@code error} says why)
     * @param options how it behaves
     * @param error   why there is no breakpoint, or null
     * @param source  the client's source, for source breakpoints; null otherwise
     * @param line    the line the client asked for (1-based), or 0
     */
    public record Request(BreakpointSpec spec, BreakpointOptions options, String error, Source source, int line) {

        public static Request of(BreakpointSpec spec, BreakpointOptions options, Source source, int line) {
            return new Request(spec, options, null, source, line);
        }

        public static Request unreadable(String error, Source source, int line) {
            return new Request(null, null, error, source, line);
        }

        boolean sameBreakpoint(Request other) {
            return spec != null && spec.equals(other.spec) && options.equals(other.options);
        }
    }

    /** A request and the Sonde breakpoint serving it (id 0 when there is none, with the reason in {@code error}). */
    public record Placed(Request request, int id, String error) {
    }

    private final Map<String, List<Placed>> groups = new HashMap<>();
    private final Map<Integer, String> groupOfId = new HashMap<>();
    /** The newest state of each Sonde breakpoint, from the set call or a later change event, whichever is newer. */
    private final Map<Integer, Breakpoint> latest = new ConcurrentHashMap<>();

    /**
     * Replaces the breakpoints of a group: keeps those asked for again, sets the new ones, removes the rest.
     * Completes with one placed breakpoint per request, in order. Calls must not overlap (requests are handled
     * one at a time).
     */
    public CompletableFuture<List<Placed>> replace(Session session, String group, List<Request> requests) {
        List<Placed> previous;
        synchronized (this) {
            previous = new ArrayList<>(groups.getOrDefault(group, List.of()));
        }
        List<CompletableFuture<Placed>> placing = new ArrayList<>(requests.size());
        for (Request request : requests) {
            Placed kept = takeSame(previous, request);
            if (kept != null) {
                placing.add(CompletableFuture.completedFuture(new Placed(request, kept.id(), null)));
            } else if (request.spec() == null) {
                placing.add(CompletableFuture.completedFuture(new Placed(request, 0, request.error())));
            } else {
                placing.add(session.async().addBreakpoint(request.spec(), request.options())
                        .handle((breakpoint, failure) -> {
                            if (failure != null) {
                                return new Placed(request, 0, SondeException.from(failure).getMessage());
                            }
                            latest.putIfAbsent(breakpoint.id(), breakpoint);
                            return new Placed(request, breakpoint.id(), null);
                        }));
            }
        }
        List<CompletableFuture<?>> all = new ArrayList<>(placing);
        for (Placed gone : previous) {
            if (gone.id() > 0) {
                forget(gone.id());
                // One already gone (its session ended, say) needs no removing.
                all.add(session.async().removeBreakpoint(gone.id()).exceptionally(failure -> null));
            }
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(done -> {
            List<Placed> placed = placing.stream().map(CompletableFuture::join).toList();
            synchronized (this) {
                groups.put(group, new ArrayList<>(placed));
                placed.stream().filter(p -> p.id() > 0).forEach(p -> groupOfId.put(p.id(), group));
            }
            return placed;
        });
    }

    private static Placed takeSame(List<Placed> previous, Request request) {
        for (int i = 0; i < previous.size(); i++) {
            Placed candidate = previous.get(i);
            if (candidate.id() > 0 && candidate.request().sameBreakpoint(request)) {
                previous.remove(i);
                return candidate;
            }
        }
        return null;
    }

    /** Records a change that Sonde reported; returns the placed breakpoint when it is one of the client's. */
    public synchronized Optional<Placed> changed(Breakpoint breakpoint) {
        latest.put(breakpoint.id(), breakpoint);
        return placed(breakpoint.id());
    }

    /** Whether every one of these breakpoints is in the group. */
    public synchronized boolean allIn(String group, List<Integer> ids) {
        return !ids.isEmpty() && ids.stream().allMatch(id -> group.equals(groupOfId.get(id)));
    }

    private synchronized Optional<Placed> placed(int id) {
        String group = groupOfId.get(id);
        if (group == null) {
            return Optional.empty();
        }
        return groups.getOrDefault(group, List.of()).stream().filter(p -> p.id() == id).findFirst();
    }

    private synchronized void forget(int id) {
        String group = groupOfId.remove(id);
        latest.remove(id);
        if (group != null) {
            groups.getOrDefault(group, new ArrayList<>()).removeIf(p -> p.id() == id);
        }
    }

    /** The DAP view of a placed breakpoint, with its newest state. */
    public org.eclipse.lsp4j.debug.Breakpoint toDap(Placed placed, ClientConventions conventions, SourceRoots sources) {
        org.eclipse.lsp4j.debug.Breakpoint dap = new org.eclipse.lsp4j.debug.Breakpoint();
        Request request = placed.request();
        Breakpoint state = placed.id() > 0 ? latest.get(placed.id()) : null;
        if (state == null) {
            dap.setVerified(false);
            dap.setMessage(placed.error());
        } else {
            dap.setId(placed.id());
            dap.setVerified(state.verified());
            dap.setMessage(state.reason());
        }
        Location at = state == null || state.locations().isEmpty() ? null : state.locations().get(0);
        int line = at != null && at.line() > 0 ? at.line() : request.line();
        if (line > 0) {
            dap.setLine(conventions.toClientLine(line));
        }
        if (request.source() != null) {
            dap.setSource(request.source());
        } else if (at != null && at.file() != null) {
            dap.setSource(source(at, sources));
        }
        return dap;
    }

    /** The client's view of where a location's code is: its file name and, when found, its path. */
    public static Source source(Location location, SourceRoots sources) {
        Source source = new Source();
        source.setName(location.file());
        sources.find(location.sourcePath()).map(Path::toString).ifPresent(source::setPath);
        return source;
    }
}
