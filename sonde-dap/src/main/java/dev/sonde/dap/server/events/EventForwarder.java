package dev.sonde.dap.server.events;

import dev.sonde.core.event.Event;
import dev.sonde.core.event.OutputCategory;
import dev.sonde.core.event.StopDetail;
import dev.sonde.core.event.StopReason;
import dev.sonde.dap.server.DebugContext;
import dev.sonde.dap.server.breakpoints.BreakpointBook;
import org.eclipse.lsp4j.debug.BreakpointEventArguments;
import org.eclipse.lsp4j.debug.BreakpointEventArgumentsReason;
import org.eclipse.lsp4j.debug.ContinuedEventArguments;
import org.eclipse.lsp4j.debug.ExitedEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArguments;
import org.eclipse.lsp4j.debug.OutputEventArgumentsCategory;
import org.eclipse.lsp4j.debug.StoppedEventArguments;
import org.eclipse.lsp4j.debug.StoppedEventArgumentsReason;
import org.eclipse.lsp4j.debug.TerminatedEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArguments;
import org.eclipse.lsp4j.debug.ThreadEventArgumentsReason;
import org.eclipse.lsp4j.debug.services.IDebugProtocolClient;

import java.util.function.Consumer;

/**
 * Turns the session's events into DAP events, in the session's order: stopped, continued, output (the program's
 * and logpoints'), thread, breakpoint, exited and terminated. The stop before {@code main} is not forwarded:
 * configurationDone decides whether the client sees it.
 */
public final class EventForwarder implements Consumer<Event> {

    private static final System.Logger LOG = System.getLogger(EventForwarder.class.getName());

    private final DebugContext context;

    public EventForwarder(DebugContext context) {
        this.context = context;
    }

    @Override
    public void accept(Event event) {
        try {
            forward(event, context.client());
        } catch (RuntimeException unreachable) {
            LOG.log(System.Logger.Level.DEBUG, "cannot send the " + event.kind() + " event; ending the connection", unreachable);
            context.clientLost();
        }
    }

    /** Reports the stop before {@code main} (for a launch with stopOnEntry). */
    public void reportEntry(Event.Stopped entry) {
        context.client().stopped(stopped(entry));
    }

    private void forward(Event event, IDebugProtocolClient client) {
        switch (event) {
            case Event.Stopped stopped -> {
                if (stopped.reason() == StopReason.ENTRY) {
                    return;
                }
                if (stopped.thread() == null) {
                    client.stopped(stopped(stopped));
                    return;
                }
                // The client asks for the stack and the top frame's locals next: read them while it takes in the stop.
                context.stopReads().expect(stopped.thread().id());
                client.stopped(stopped(stopped));
                context.debuggee().ifPresent(debuggee -> context.stopReads().read(debuggee.session()));
            }
            case Event.Continued continued -> {
                context.targetResumed();
                ContinuedEventArguments arguments = new ContinuedEventArguments();
                arguments.setThreadId(continued.allThreads() ? 0 : context.threads().idOf(continued.threadId()));
                arguments.setAllThreadsContinued(continued.allThreads());
                client.continued(arguments);
            }
            case Event.Output output -> client.output(output(output));
            case Event.ThreadStarted started -> client.thread(thread(context.threads().idOf(started.thread().id()),
                    ThreadEventArgumentsReason.STARTED));
            case Event.ThreadExited exited -> {
                client.thread(thread(context.threads().idOf(exited.threadId()), ThreadEventArgumentsReason.EXITED));
                context.threads().forget(exited.threadId());
            }
            case Event.BreakpointChanged changed -> breakpointChanged(changed, client);
            case Event.Terminated terminated -> {
                if (terminated.exitCode() != null) {
                    ExitedEventArguments exited = new ExitedEventArguments();
                    exited.setExitCode(terminated.exitCode());
                    client.exited(exited);
                }
                client.terminated(new TerminatedEventArguments());
            }
            case Event.Error error -> client.output(console("Sonde: " + error.message() + "\n"));
            case Event.Snapshot ignored -> {
                // Snapshot breakpoints come from Sonde's console; a DAP client sets none, so none is its concern.
            }
        }
    }

    private StoppedEventArguments stopped(Event.Stopped stop) {
        StoppedEventArguments arguments = new StoppedEventArguments();
        arguments.setReason(switch (stop.reason()) {
            case ENTRY -> StoppedEventArgumentsReason.ENTRY;
            case BREAKPOINT -> context.breakpoints().allIn(BreakpointBook.FUNCTIONS, stop.breakpointIds())
                    ? StoppedEventArgumentsReason.FUNCTION_BREAKPOINT : StoppedEventArgumentsReason.BREAKPOINT;
            case STEP -> StoppedEventArgumentsReason.STEP;
            case PAUSE -> StoppedEventArgumentsReason.PAUSE;
            case EXCEPTION -> StoppedEventArgumentsReason.EXCEPTION;
            case METHOD_EXIT -> StoppedEventArgumentsReason.BREAKPOINT;
            case WATCHPOINT -> StoppedEventArgumentsReason.DATA_BREAKPOINT;
        });
        Integer asked = stop.reason() == StopReason.PAUSE ? context.takePauseRequest().orElse(null) : null;
        if (asked != null) {
            arguments.setThreadId(asked);
        } else if (stop.thread() != null) {
            arguments.setThreadId(context.threads().idOf(stop.thread().id()));
        }
        arguments.setAllThreadsStopped(stop.allThreads());
        if (!stop.breakpointIds().isEmpty()) {
            arguments.setHitBreakpointIds(stop.breakpointIds().toArray(Integer[]::new));
        }
        if (stop.detail() instanceof StopDetail.ExceptionThrown thrown) {
            arguments.setDescription("Paused on " + (thrown.uncaught() ? "uncaught " : "") + "exception " + thrown.type());
            arguments.setText(thrown.message() == null ? thrown.type() : thrown.type() + ": " + thrown.message());
        } else if (stop.reason() != StopReason.ENTRY && (stop.runtime().operation() != null || stop.async() != null)) {
            arguments.setDescription(OperationTexts.description(stop));
            arguments.setText(OperationTexts.text(stop));
        }
        return arguments;
    }

    private void breakpointChanged(Event.BreakpointChanged changed, IDebugProtocolClient client) {
        switch (changed.change()) {
            // The client learns of the breakpoints it sets, and of those it removes, from setBreakpoints responses;
            // Sonde removes none by itself, as a client sets no temporary breakpoints.
            case ADDED, REMOVED -> {
            }
            case UPDATED -> context.breakpoints().changed(changed.breakpoint()).ifPresent(placed -> client.breakpoint(
                    breakpoint(BreakpointEventArgumentsReason.CHANGED,
                            context.breakpoints().toDap(placed, context.conventions(), context.sources()))));
        }
    }

    private static BreakpointEventArguments breakpoint(String reason, org.eclipse.lsp4j.debug.Breakpoint breakpoint) {
        BreakpointEventArguments arguments = new BreakpointEventArguments();
        arguments.setReason(reason);
        arguments.setBreakpoint(breakpoint);
        return arguments;
    }

    private static OutputEventArguments output(Event.Output output) {
        OutputEventArguments arguments = new OutputEventArguments();
        arguments.setCategory(output.category() == OutputCategory.STDOUT ? OutputEventArgumentsCategory.STDOUT
                : output.category() == OutputCategory.STDERR ? OutputEventArgumentsCategory.STDERR
                : OutputEventArgumentsCategory.CONSOLE);
        String text = output.text();
        arguments.setOutput(output.category() == OutputCategory.LOG && !text.endsWith("\n") ? text + "\n" : text);
        return arguments;
    }

    private static OutputEventArguments console(String text) {
        OutputEventArguments arguments = new OutputEventArguments();
        arguments.setCategory(OutputEventArgumentsCategory.CONSOLE);
        arguments.setOutput(text);
        return arguments;
    }

    private static ThreadEventArguments thread(int threadId, String reason) {
        ThreadEventArguments arguments = new ThreadEventArguments();
        arguments.setThreadId(threadId);
        arguments.setReason(reason);
        return arguments;
    }
}
