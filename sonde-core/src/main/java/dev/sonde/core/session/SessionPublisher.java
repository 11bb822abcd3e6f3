package dev.sonde.core.session;

import dev.sonde.core.backend.TargetInfo;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.launch.PortOwner;
import dev.sonde.core.stats.SessionStats;

import java.lang.management.ManagementFactory;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.JMException;
import javax.management.ObjectName;
import javax.management.StandardMBean;

/**
 * Publishes the debug sessions of this process over JMX as {@link SessionMBeans#NAME}, so the dashboard
 * and any JMX client see them live. Every session opened in the process is tracked from
 * {@link Session#open}; the MBean is registered with the first and stays. Ended sessions stay listed,
 * frozen as they ended, up to the last {@value #ENDED_KEPT}.
 *
 * <p>Nothing here runs per event: a read builds the view from each session's statistics and breakpoints.
 */
public final class SessionPublisher {

    /** Ended sessions kept in the list, the most recent ones. */
    public static final int ENDED_KEPT = 20;

    private static final System.Logger LOG = System.getLogger(SessionPublisher.class.getName());
    private static final SessionPublisher PROCESS = new SessionPublisher();

    /** The JMX view: what the MBean exposes. */
    public interface SessionsMBean {
        /** Live sessions (the attribute {@link SessionMBeans#SESSION_COUNT}). */
        int getSessionCount();

        /** The operation {@link SessionMBeans#SESSIONS_JSON}. */
        String sessionsJson();
    }

    private record Tracked(Session session, CompletableFuture<Long> localPid) {
    }

    private final AtomicBoolean registering = new AtomicBoolean();
    private volatile String command = "embedded";
    // Guarded by this.
    private final Map<Long, Tracked> live = new TreeMap<>();
    private final Deque<PublishedSessions.Published> ended = new ArrayDeque<>();

    private SessionPublisher() {
    }

    /** The publisher of this process. */
    public static SessionPublisher process() {
        return PROCESS;
    }

    /** Names the sonde command this process runs ({@code debug}, {@code attach}, {@code dap}, ...). */
    public void command(String name) {
        command = name;
    }

    /** The sessions as {@link SessionMBeans#SESSIONS_JSON} returns them. */
    public PublishedSessions published() {
        List<PublishedSessions.Published> sessions = new ArrayList<>();
        synchronized (this) {
            live.values().forEach(tracked -> sessions.add(view(tracked, null)));
            sessions.addAll(ended);
        }
        return new PublishedSessions(ProcessHandle.current().pid(), command, sessions);
    }

    public int sessionCount() {
        synchronized (this) {
            return (int) live.values().stream().filter(t -> t.session().state() != SessionState.TERMINATED).count();
        }
    }

    void track(Session session) {
        Tracked tracked = new Tracked(session, new CompletableFuture<>());
        synchronized (this) {
            live.put(Long.parseLong(session.id()), tracked);
        }
        register();
        session.connected().thenAccept(connected -> findLocalPid(tracked));
        session.terminated().whenComplete((end, failure) -> {
            synchronized (this) {
                live.remove(Long.parseLong(session.id()));
                ended.addLast(view(tracked, end));
                while (ended.size() > ENDED_KEPT) {
                    ended.removeFirst();
                }
            }
        });
    }

    /** Registers the MBean once, off the caller's thread: loading the platform MBeanServer takes a while. */
    private void register() {
        if (!registering.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("sonde-sessions-mbean").start(() -> {
            try {
                SessionsMBean view = new SessionsMBean() {
                    @Override
                    public int getSessionCount() {
                        return sessionCount();
                    }

                    @Override
                    public String sessionsJson() {
                        return published().toJson();
                    }
                };
                ManagementFactory.getPlatformMBeanServer().registerMBean(new StandardMBean(view, SessionsMBean.class),
                        new ObjectName(SessionMBeans.NAME));
            } catch (JMException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "the sessions are not published over JMX", e);
            }
        });
    }

    /** An attached target's pid, looked up once from the port when the target is on this machine. */
    private static void findLocalPid(Tracked tracked) {
        TargetInfo target = tracked.session().target().orElse(null);
        if (target == null || target.pid() >= 0) {
            tracked.localPid().complete(null);
            return;
        }
        Thread.ofVirtual().name("sonde-target-pid").start(() -> {
            try {
                var pid = PortOwner.of(HostPort.parse(target.address()));
                tracked.localPid().complete(pid.isPresent() ? pid.getAsLong() : null);
            } catch (RuntimeException e) {
                tracked.localPid().complete(null);
            }
        });
    }

    private static PublishedSessions.Published view(Tracked tracked, Event.Terminated end) {
        Session session = tracked.session();
        SessionStats stats = session.statistics();
        if (end == null) {
            end = session.terminated().getNow(null);
        }
        List<PublishedSessions.PublishedBreakpoint> breakpoints = session.breakpoints().stream()
                .map(b -> breakpoint(b, stats.hitsByBreakpoint().getOrDefault(b.id(), 0L)))
                .toList();
        Map<String, Long> events = new TreeMap<>();
        stats.eventsByKind().forEach((kind, count) -> events.put(Character.toUpperCase(kind.charAt(0)) + kind.substring(1), count));
        TargetInfo target = session.target().orElse(null);
        return new PublishedSessions.Published(session.id(), session.name(), end != null ? SessionState.TERMINATED : session.state(),
                target == null ? null : "jvm".equals(target.kind()) ? "jdi" : "dap",
                target == null ? PublishedSessions.Target.UNKNOWN : target(target, tracked.localPid().getNow(null)),
                stats.startedAt().toString(),
                end == null ? null : stats.startedAt().plus(stats.duration()).toString(),
                end == null ? null : end.reason(),
                breakpoints, stats.stops(), stats.timeStopped().toMillis(), events);
    }

    private static PublishedSessions.Target target(TargetInfo target, Long localPid) {
        Long pid = target.pid() >= 0 ? Long.valueOf(target.pid()) : localPid;
        try {
            HostPort address = HostPort.parse(target.address());
            return new PublishedSessions.Target(target.description(), pid, address.host(), address.port());
        } catch (RuntimeException e) {
            return new PublishedSessions.Target(target.description(), pid, target.address(), null);
        }
    }

    private static PublishedSessions.PublishedBreakpoint breakpoint(Breakpoint breakpoint, long hits) {
        String kind = switch (breakpoint.spec()) {
            case BreakpointSpec.FileLine ignored -> "line";
            case BreakpointSpec.ClassLine ignored -> "line";
            case BreakpointSpec.MethodEntry ignored -> "method";
            case BreakpointSpec.MethodExit ignored -> "methodExit";
            case BreakpointSpec.ExceptionThrown ignored -> "exception";
            case BreakpointSpec.FieldWatch ignored -> "field";
        };
        String action = switch (breakpoint.options().action()) {
            case BreakpointAction.Stop ignored -> "stop";
            case BreakpointAction.Log ignored -> "log";
            case BreakpointAction.Snapshot ignored -> "snapshot";
        };
        return new PublishedSessions.PublishedBreakpoint(breakpoint.id(), breakpoint.spec().describe(), kind, action, true,
                breakpoint.verified(), hits);
    }
}
