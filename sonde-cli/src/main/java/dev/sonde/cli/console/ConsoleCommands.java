package dev.sonde.cli.console;

import dev.sonde.core.backend.StepKind;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.model.Frame;
import dev.sonde.core.model.ThreadInfo;
import dev.sonde.core.model.Value;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionState;
import dev.sonde.core.session.WaitOutcome;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The console's commands, shared by the interactive console and batch mode ({@code --exec}). Keeps the
 * selected thread and frame: a stop selects the stopped thread and its top frame (frame 0); {@code up}
 * goes toward the caller.
 */
public final class ConsoleCommands {

    /** Runs a command with the text after its name (possibly empty). */
    @FunctionalInterface
    private interface Handler {
        Reply run(String argument);
    }

    private record Command(String name, List<String> aliases, String usage, String summary, Handler handler) {
    }

    /**
     * @param waitTimeout    how long {@code wait} with no argument waits; null to wait until a stop or the end
     * @param allowInvoke    whether expressions may run code in the target unless a breakpoint says otherwise
     * @param snapshotFrames how many top frames a snapshot captures the locals of, unless {@code snap} says
     */
    public record Settings(Duration waitTimeout, boolean allowInvoke, int snapshotFrames) {
    }

    /** How much of an unknown command's name an error repeats. */
    private static final int SHOWN_NAME = 40;

    private final Session session;
    private final Settings settings;
    private final Map<String, Command> commands = new LinkedHashMap<>();
    private final Map<String, Command> byNameOrAlias = new LinkedHashMap<>();
    private volatile long currentThread;
    private volatile int currentFrame;

    /**
     * @param defaultWait how long {@code wait} with no argument waits; null to wait until a stop or the end
     */
    public ConsoleCommands(Session session, Duration defaultWait) {
        this(session, new Settings(defaultWait, true, 3));
    }

    public ConsoleCommands(Session session, Settings settings) {
        this.session = session;
        this.settings = settings;
        session.subscribe(event -> {
            if (event instanceof Event.Stopped stopped && stopped.thread() != null) {
                select(stopped.thread().id());
            }
        });
        session.currentStop().ifPresent(stop -> {
            if (stop.thread() != null) {
                select(stop.thread().id());
            }
        });
        define("break", List.of("b"), "break LOCATION [exit] [if EXPR] [hits N|every N|after N] [--no-invoke]",
                "breakpoint at File.java:LINE, pkg.Class:LINE or pkg.Class.method (exit: when it returns)",
                arg -> set(BreakpointCommands.breakpoint(arg, false, settings.allowInvoke())));
        define("tbreak", List.of(), "tbreak LOCATION [if EXPR] ...", "a breakpoint removed after its first hit",
                arg -> set(BreakpointCommands.breakpoint(arg, true, settings.allowInvoke())));
        define("log", List.of(), "log LOCATION \"TEXT {EXPR}\" [if EXPR] [hits N|every N|after N]",
                "logpoint: print a message at each hit without stopping (the thread waits only while it is made)",
                arg -> set(BreakpointCommands.logpoint(arg, settings.allowInvoke())));
        define("snap", List.of(), "snap LOCATION [if EXPR] [max N] [frames N] [watch EXPR]...",
                "snapshot point: capture thread, stack, locals and expressions at each hit, then go on at once",
                arg -> set(BreakpointCommands.snapshot(arg, settings.allowInvoke(), settings.snapshotFrames())));
        define("catch", List.of(), "catch [caught|uncaught|all] CLASS [--include PKG.*]... [--exclude PKG.*]...",
                "stop when an exception of CLASS (or a subclass; * for any) is thrown",
                arg -> set(BreakpointCommands.exception(arg, settings.allowInvoke())));
        define("watch", List.of(), "watch [access|modify|all] pkg.Class.field [if EXPR]",
                "stop when a field is written (modify, the default: old and new value) or read",
                arg -> set(BreakpointCommands.watchpoint(arg, settings.allowInvoke())));
        define("delete", List.of("d"), "delete [ID...]", "delete breakpoints by id (all when no id is given)", this::delete);
        define("breakpoints", List.of("info break"), "breakpoints", "list breakpoints, their state and hit counts", arg -> breakpoints());
        define("cont", List.of("c", "continue"), "cont", "resume the target", arg -> cont());
        define("next", List.of("n"), "next", "step over: to the next line of this method", arg -> step(StepKind.OVER));
        define("step", List.of("s"), "step", "step into the call on this line (JDK code is skipped)", arg -> step(StepKind.INTO));
        define("finish", List.of("fin"), "finish", "step out: run until this method returns", arg -> step(StepKind.OUT));
        define("pause", List.of(), "pause [THREAD]", "stop every thread, or only the given one", this::pause);
        define("threads", List.of(), "threads", "list threads (platform and virtual)", arg -> threads());
        define("thread", List.of("t"), "thread ID", "select a thread for where, locals and print", this::thread);
        define("where", List.of("bt", "backtrace"), "where", "show the selected thread's stack (frame 0 is the top)", arg -> where());
        define("frame", List.of("f"), "frame N", "select frame N of the stack", this::frame);
        define("up", List.of(), "up [N]", "select the caller's frame (N frames up)", arg -> move(count(arg)));
        define("down", List.of(), "down [N]", "select the callee's frame (N frames down)", arg -> move(-count(arg)));
        define("locals", List.of("l"), "locals [DEPTH]", "show this, arguments and locals of the selected frame, objects expanded DEPTH levels", this::locals);
        define("print", List.of("p"), "print EXPR", "evaluate a Java expression in the selected frame", this::print);
        define("set", List.of(), "set NAME = EXPR", "assign to a local, a field or an array element in the selected frame", this::assign);
        define("wait", List.of("w"), "wait [TIMEOUT]", "block until the target stops or exits (TIMEOUT like 5s)", this::await);
        define("stats", List.of(), "stats", "show session statistics", arg -> new Reply.Stats(session.statistics()));
        define("detach", List.of(), "detach", "let go of the target; it keeps running", arg -> {
            session.detach();
            return new Reply.Done("Detached; the target keeps running.");
        });
        define("kill", List.of(), "kill", "end the target process", arg -> {
            session.terminate();
            return new Reply.Done("Killed the target.");
        });
        define("help", List.of("h", "?"), "help [COMMAND]", "list commands, or describe one", this::help);
        define("quit", List.of("q", "exit"), "quit", "leave the console (a launched target is ended, an attached one detached)", arg -> null);
    }

    private void define(String name, List<String> aliases, String usage, String summary, Handler handler) {
        Command command = new Command(name, aliases, usage, summary, handler);
        commands.put(name, command);
        byNameOrAlias.put(name, command);
        aliases.forEach(alias -> byNameOrAlias.put(alias, command));
    }

    /** Command names and aliases, for completion. */
    public List<String> names() {
        return List.copyOf(byNameOrAlias.keySet());
    }

    public Session session() {
        return session;
    }

    /** The selected thread's id, or 0 when none is selected. */
    public long currentThread() {
        return currentThread;
    }

    private void select(long threadId) {
        currentThread = threadId;
        currentFrame = 0;
    }

    /** Runs one command line. Empty lines and {@code #} comments return null. */
    public Outcome execute(String line) {
        String text = line == null ? "" : line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        String word = text.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        String argument = text.length() > word.length() ? text.substring(word.length()).strip() : "";
        if (word.equals("info") && argument.startsWith("break")) {
            word = "info break";
            argument = "";
        }
        Command command = byNameOrAlias.get(word);
        if (command == null) {
            return new Outcome.Failed(shown(word), SondeException.invalidInput("Unknown command '" + shown(word) + "'" + suggestion(word)
                    + "; `help` lists the commands."));
        }
        if (command.name().equals("quit")) {
            return new Outcome.Quit("quit");
        }
        try {
            return new Outcome.Ok(command.name(), command.handler().run(argument));
        } catch (RuntimeException e) {
            return new Outcome.Failed(command.name(), SondeException.from(e));
        }
    }

    /** A command name as echoed in an error: a long one (pasted text, say) is cut to its first characters. */
    static String shown(String word) {
        return word.length() <= SHOWN_NAME ? word : word.substring(0, SHOWN_NAME) + "… (" + word.length() + " characters)";
    }

    private String suggestion(String word) {
        if (word.length() > SHOWN_NAME) {
            return "";
        }
        String best = null;
        int bestDistance = 3;
        for (String name : byNameOrAlias.keySet()) {
            int distance = distance(word, name);
            if (distance < bestDistance) {
                best = name;
                bestDistance = distance;
            }
        }
        return best == null ? "" : " (did you mean `" + best + "`?)";
    }

    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    // ---- commands ----

    private Reply set(BreakpointCommands.Request request) {
        return new Reply.BreakpointSet(session.addBreakpoint(request.spec(), request.options()));
    }

    private Reply delete(String argument) {
        List<Integer> ids = new ArrayList<>();
        if (argument.isEmpty()) {
            session.breakpoints().forEach(b -> ids.add(b.id()));
        } else {
            for (String token : argument.split("[\\s,]+")) {
                ids.add(number(token, "breakpoint id"));
            }
        }
        for (int id : ids) {
            session.removeBreakpoint(id);
        }
        return new Reply.BreakpointsDeleted(ids);
    }

    private Reply breakpoints() {
        List<Breakpoint> list = session.breakpoints();
        Map<Integer, Long> hits = session.statistics().hitsByBreakpoint();
        return new Reply.BreakpointList(list, list.stream().map(b -> hits.getOrDefault(b.id(), 0L)).toList());
    }

    private Reply cont() {
        if (session.state() == SessionState.RUNNING) {
            throw SondeException.badState("The target is already running; `pause` stops it, `wait` waits for a breakpoint.");
        }
        session.resume();
        return new Reply.Done("Resumed.");
    }

    private Reply step(StepKind kind) {
        long thread = requireThread();
        session.step(thread, kind);
        return new Reply.Done(switch (kind) {
            case OVER -> "Stepping over.";
            case INTO -> "Stepping into.";
            case OUT -> "Stepping out.";
        });
    }

    private Reply pause(String argument) {
        if (argument.isEmpty()) {
            session.pause();
            return new Reply.Done("Paused every thread.");
        }
        long thread = id(argument, "thread id");
        session.pauseThread(thread);
        return new Reply.Done("Paused thread " + thread + ".");
    }

    private Reply threads() {
        return new Reply.ThreadList(session.threads(), currentThread);
    }

    private Reply thread(String argument) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give a thread id: thread ID (`threads` lists them).");
        }
        long id = id(argument, "thread id");
        ThreadInfo thread = session.threads().stream().filter(t -> t.id() == id).findFirst()
                .orElseThrow(() -> SondeException.notFound("There is no thread " + id + "; `threads` lists them."));
        select(id);
        return new Reply.ThreadSelected(thread);
    }

    private Reply where() {
        long thread = requireThread();
        List<Frame> frames = session.stackTrace(thread);
        if (frames.isEmpty()) {
            throw SondeException.badState("Thread " + thread + " has not run any code yet (held at entry); set breakpoints, then `cont`.");
        }
        return new Reply.Stack(thread, frames, Math.min(currentFrame, frames.size() - 1));
    }

    private Reply frame(String argument) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give a frame number: frame N (0 is the top; `where` lists them).");
        }
        return selectFrame(number(argument, "frame number"));
    }

    private Reply move(int by) {
        int target = currentFrame + by;
        if (target < 0) {
            throw SondeException.badState("Already at the top frame (0); `up` goes toward the callers.");
        }
        long thread = requireThread();
        if (session.stackTrace(thread, target, 1).isEmpty()) {
            throw SondeException.badState("Already at the outermost frame (" + currentFrame + "); `down` goes back toward the top.");
        }
        return selectFrame(target);
    }

    private Reply selectFrame(int index) {
        long thread = requireThread();
        List<Frame> frames = session.stackTrace(thread, index, 1);
        if (index < 0 || frames.isEmpty()) {
            int depth = session.stackTrace(thread).size();
            throw SondeException.notFound("There is no frame " + index + "; the stack has " + depth + " frame" + (depth == 1 ? "" : "s")
                    + " (0 is the top).");
        }
        currentFrame = index;
        return new Reply.FrameSelected(frames.get(0));
    }

    private Reply locals(String argument) {
        long thread = requireThread();
        int depth = argument.isEmpty() ? 0 : number(argument, "depth");
        List<Frame> frames = session.stackTrace(thread, currentFrame, 1);
        Frame frame = frames.isEmpty() ? null : frames.get(0);
        return new Reply.Locals(frame, session.variables(thread, currentFrame, depth));
    }

    private Reply print(String argument) {
        if (argument.isEmpty()) {
            throw SondeException.invalidInput("Give an expression: print EXPR, for example print order.items[0].");
        }
        long thread = requireThread();
        return new Reply.Printed(argument, session.evaluate(thread, currentFrame, argument, settings.allowInvoke()));
    }

    private Reply assign(String argument) {
        int equals = argument.indexOf('=');
        if (equals <= 0 || argument.startsWith("==", equals)) {
            throw SondeException.invalidInput("Write it as set NAME = EXPR, for example set order.total = 10.5.");
        }
        String target = argument.substring(0, equals).strip();
        if (argument.substring(equals + 1).isBlank()) {
            throw SondeException.invalidInput("No value after '=' for " + target + "; write it as set NAME = EXPR, for example set "
                    + target + " = 10.");
        }
        long thread = requireThread();
        Value value = session.evaluate(thread, currentFrame, target + " = (" + argument.substring(equals + 1).strip() + ")",
                settings.allowInvoke());
        return new Reply.Printed(target, value);
    }

    private Reply await(String argument) {
        Duration timeout = argument.isEmpty() ? settings.waitTimeout() : DurationText.parse(argument);
        WaitOutcome outcome = session.awaitStop(timeout == null ? Duration.ofDays(3650) : timeout);
        switch (outcome) {
            case WaitOutcome.Stopped stopped -> {
                if (stopped.event().thread() != null) {
                    select(stopped.event().thread().id());
                }
            }
            case WaitOutcome.TimedOut timedOut -> throw SondeException.timeout("Nothing stopped within "
                    + DurationText.format(timedOut.waited()) + "; the target is still running.");
            case WaitOutcome.Terminated ignored -> {
            }
        }
        return new Reply.Waited(outcome);
    }

    private Reply help(String argument) {
        List<Reply.CommandHelp> help = new ArrayList<>();
        if (!argument.isEmpty()) {
            Command command = byNameOrAlias.get(argument.toLowerCase(Locale.ROOT));
            if (command == null) {
                throw SondeException.invalidInput("Unknown command '" + shown(argument) + "'" + suggestion(argument) + "; `help` lists the commands.");
            }
            help.add(new Reply.CommandHelp(command.usage(), command.aliases(), command.summary()));
        } else {
            commands.values().forEach(c -> help.add(new Reply.CommandHelp(c.usage(), c.aliases(), c.summary())));
        }
        return new Reply.Help(help);
    }

    private long requireThread() {
        if (currentThread == 0) {
            throw SondeException.badState("No thread is selected; wait for a stop, or pick one with `thread ID` (`threads` lists them).");
        }
        return currentThread;
    }

    private static int count(String argument) {
        int count = argument.isEmpty() ? 1 : number(argument, "frame count");
        if (count <= 0) {
            throw SondeException.invalidInput("The frame count must be positive, not " + count
                    + "; `up N` goes N frames toward the callers, `down N` back toward the top.");
        }
        return count;
    }

    private static long id(String text, String what) {
        try {
            return Long.parseLong(text.strip());
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("'" + text + "' is not a " + what + "; give a whole number.");
        }
    }

    private static int number(String text, String what) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw SondeException.invalidInput("'" + text + "' is not a " + what + "; give a whole number.");
        }
    }
}
