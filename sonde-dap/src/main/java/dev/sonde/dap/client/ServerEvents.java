package dev.sonde.dap.client;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopReason;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.Location;
import dev.sonde.dap.client.breakpoints.SourceBreakpoints;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.Source;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;

import java.util.List;

/**
 * A DAP server's events, on the channel's event thread, in order: each becomes Sonde events of the
 * {@link DapClientBackend}, asking the server for what an event leaves out (such as where a stopped thread is).
 */
final class ServerEvents implements DapEvents {

    private static final System.Logger LOG = System.getLogger(ServerEvents.class.getName());

    private final DapClientBackend backend;
    private final SourceBreakpoints breakpoints;

    ServerEvents(DapClientBackend backend, SourceBreakpoints breakpoints) {
        this.backend = backend;
        this.breakpoints = breakpoints;
    }

    @Override
    public void stopped(StoppedEventArguments args) {
        guarded("stopped", () -> {
            if (backend.endingOrEnded()) {
                return;
            }
            long threadId = args.getThreadId() == null ? backend.firstThread() : args.getThreadId();
            boolean allThreadsStopped = Boolean.TRUE.equals(args.getAllThreadsStopped());
            backend.stoppedAt(threadId, allThreadsStopped);
            StopReason reason = reasonOf(args.getReason());
            Location location = null;
            String path = null;
            try {
                List<Frame> top = backend.frames(threadId, 0, 1);
                if (!top.isEmpty()) {
                    location = top.get(0).location();
                    Source source = backend.readFrame(threadId, 0).getSource();
                    path = source == null ? null : source.getPath();
                }
            } catch (SondeException unreadable) {
                LOG.log(System.Logger.Level.DEBUG, "top frame of thread " + threadId, unreadable);
            }
            List<Integer> hit = List.of();
            if (args.getHitBreakpointIds() != null && args.getHitBreakpointIds().length > 0) {
                hit = breakpoints.ofServerIds(args.getHitBreakpointIds());
            } else if (reason == StopReason.BREAKPOINT && path != null) {
                // debugpy does not say which breakpoints were hit: those set where the thread stands were.
                hit = breakpoints.at(path, location.line());
            }
            List<Integer> done = breakpoints.temporary(hit);
            if (!done.isEmpty()) {
                // The session reports their removal right after the stop.
                breakpoints.remove(done);
            }
            if (!backend.knowsThread(threadId)) {
                backend.refreshThreads();
            }
            backend.emit(new Event.Stopped(reason, backend.threadInfo(threadId), location, hit, allThreadsStopped));
        });
    }

    @Override
    public void continued(ContinuedEventArguments args) {
        if (backend.continuedByServer()) {
            boolean all = !Boolean.FALSE.equals(args.getAllThreadsContinued());
            backend.emit(new Event.Continued(all ? 0 : args.getThreadId(), all));
        }
    }

    @Override
    public void thread(ThreadEventArguments args) {
        guarded("thread", () -> {
            long threadId = args.getThreadId();
            if ("exited".equals(args.getReason())) {
                String name = backend.forgetThread(threadId);
                backend.emit(new Event.ThreadExited(threadId, name == null ? "" : name));
            } else if ("started".equals(args.getReason())) {
                backend.refreshThreads();
                backend.emit(new Event.ThreadStarted(backend.threadInfo(threadId)));
            }
        });
    }

    @Override
    public void output(OutputEventArguments args) {
        String category = args.getCategory() == null ? "console" : args.getCategory();
        if (category.equals("telemetry") || args.getOutput() == null) {
            return;
        }
        backend.emit(new Event.Output(switch (category) {
            case "stdout" -> OutputCategory.STDOUT;
            case "stderr" -> OutputCategory.STDERR;
            default -> OutputCategory.CONSOLE;
        }, args.getOutput()));
    }

    @Override
    public void breakpoint(BreakpointEventArguments args) {
        breakpoints.serverChanged(args.getReason(), args.getBreakpoint()).ifPresent(backend::emit);
    }

    @Override
    public void exited(ExitedEventArguments args) {
        backend.exited(args.getExitCode());
    }

    @Override
    public void terminated(TerminatedEventArguments args) {
        backend.serverTerminated();
    }

    @Override
    public void connectionClosed() {
        backend.finish();
    }

    private void guarded(String what, Runnable handling) {
        try {
            handling.run();
        } catch (SondeException e) {
            if (e.kind() != ErrorKind.TARGET_GONE && !backend.finished()) {
                backend.emit(new Event.Error("Sonde failed to handle the debug server's " + what + " event: " + e.getMessage()));
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "handling the " + what + " event", e);
            backend.emit(new Event.Error("Sonde failed to handle the debug server's " + what + " event (" + e + ")."));
        }
    }

    private static StopReason reasonOf(String reason) {
        return switch (reason == null ? "" : reason) {
            case "breakpoint", "function breakpoint", "data breakpoint", "instruction breakpoint" -> StopReason.BREAKPOINT;
            case "step", "goto" -> StopReason.STEP;
            case "exception" -> StopReason.EXCEPTION;
            case "entry" -> StopReason.ENTRY;
            default -> StopReason.PAUSE;
        };
    }
}
