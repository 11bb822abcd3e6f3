package dev.sonde.cli.snapshot;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.cli.ExitCodes;
import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.cli.output.JsonLines;
import dev.sonde.cli.output.Texts;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.HostPort;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code sonde snapshot HOST:PORT --at LOC}: capture threads at a line of a running JVM without stopping it,
 * then let go. The target keeps running throughout and after.
 */
@Command(name = "snapshot",
        mixinStandardHelpOptions = true,
        description = {"Attach to a running JVM, capture N snapshots at a location — the thread, its whole stack, the locals",
                "of its top frames and the watched expressions — each taken while only that thread waits, then detach.",
                "Stops after --count snapshots, at --timeout, or on Ctrl-C; the JVM keeps running throughout."},
        footer = {"", "Examples:",
                "  sonde snapshot 127.0.0.1:5005 --at Pricing.java:16 --count 3",
                "  sonde snapshot 5005 --at com.acme.Orders.place --if 'order.total() > 100' --watch order.id --out slow.jsonl",
                "  sonde snapshot 5005 --at Orders.java:42 --count 100 --timeout 60s --json"},
        sortOptions = false)
public final class SnapshotCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Parameters(index = "0", paramLabel = "HOST:PORT", description = "Where the JVM's debug agent listens (a bare port means 127.0.0.1).")
    String address;

    @Option(names = "--at", required = true, paramLabel = "LOCATION", description = "File.java:LINE, pkg.Class:LINE or pkg.Class.method.")
    String at;

    @Option(names = "--if", paramLabel = "EXPR", description = "Capture only when this Java expression is true at the location.")
    String condition;

    @Option(names = "--count", paramLabel = "N", defaultValue = "1", description = "Snapshots to take (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--watch", paramLabel = "EXPR", description = "An expression to evaluate at each capture (repeatable).")
    List<String> watches = new ArrayList<>();

    @Option(names = "--frames", paramLabel = "N", description = "Frames from the top whose locals are captured (default: snapshots.frames, 3).")
    Integer frames;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the snapshots to FILE as JSON lines (schema: docs/json-lines.md).")
    Path out;

    @Option(names = "--json", description = "Print the snapshots as JSON lines instead of text.")
    boolean json;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Give up after this long (default: wait until --count or Ctrl-C).")
    String timeout;

    @Option(names = "--no-invoke", description = "Never run code in the target to evaluate --if and --watch.")
    boolean noInvoke;

    @Override
    public Integer call() throws Exception {
        if (count < 1) {
            throw SondeException.invalidInput("--count must be at least 1.");
        }
        HostPort target = HostPort.parse(address);
        BreakpointSpec spec = BreakpointSpec.parse(at);
        Duration limit = timeout == null ? null : DurationText.parse(timeout);
        ConfigLoader.Loaded loaded = global.loadConfig();
        SondeConfig config = loaded.config();
        BreakpointOptions options = BreakpointOptions.DEFAULT
                .withCondition(condition)
                .withAllowInvoke(config.eval().invoke() && !noInvoke)
                .withAction(new BreakpointAction.Snapshot(count, watches, frames == null ? config.snapshots().frames() : frames));
        PrintStream stdout = root.out();
        PrintStream stderr = root.err();
        CountDownLatch done = new CountDownLatch(1);
        AtomicInteger taken = new AtomicInteger();
        try (BufferedWriter file = out == null ? null : Files.newBufferedWriter(out)) {
            ObjectMapper mapper = new ObjectMapper();
            Session session = Session.connect("snapshot " + target, JdiConnector.attach(target, JdiOptions.from(config)),
                    SessionOptions.DEFAULT.withRequestTimeout(config.session().requestTimeout()), config.attach().timeout().plusSeconds(5),
                    List.of(event -> {
                        switch (event) {
                            case Event.Snapshot snapshot -> {
                                write(snapshot, file, mapper, stdout);
                                if (taken.incrementAndGet() >= count) {
                                    done.countDown();
                                }
                            }
                            case Event.Terminated ended -> done.countDown();
                            case Event.Error error -> stderr.println("error: " + error.message());
                            default -> {
                            }
                        }
                    }));
            Thread detachOnExit = Thread.ofPlatform().unstarted(session::close);
            Runtime.getRuntime().addShutdownHook(detachOnExit);
            try {
                Breakpoint breakpoint = session.addBreakpoint(spec, options);
                if (!breakpoint.verified()) {
                    stderr.println("Waiting for the location: " + breakpoint.reason() + ".");
                } else if (!json) {
                    stderr.println("Capturing at " + Texts.breakpoint(breakpoint).replaceFirst("^\\S+ \\S+ \\d+ at ", "") + "; Ctrl-C stops.");
                }
                boolean finished = limit == null ? await(done) : done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
                if (!finished) {
                    stderr.println("error: took " + taken.get() + " of " + count + " snapshots before the " + DurationText.format(limit)
                            + " timeout; the location may not be reached, or the condition never true.");
                    return ExitCodes.TIMEOUT;
                }
                if (session.terminated().isDone() && taken.get() < count) {
                    stderr.println("error: the target went away after " + taken.get() + " of " + count + " snapshots.");
                    return ExitCodes.UNREACHABLE;
                }
                if (out != null) {
                    stderr.println("Wrote " + taken.get() + " snapshot" + (taken.get() == 1 ? "" : "s") + " to " + out + ".");
                }
                return ExitCodes.OK;
            } finally {
                session.close();
                try {
                    Runtime.getRuntime().removeShutdownHook(detachOnExit);
                } catch (IllegalStateException shuttingDown) {
                    // the hook is running
                }
            }
        }
    }

    private static boolean await(CountDownLatch done) throws InterruptedException {
        done.await();
        return true;
    }

    private void write(Event.Snapshot snapshot, BufferedWriter file, ObjectMapper mapper, PrintStream stdout) {
        try {
            if (file != null) {
                synchronized (file) {
                    file.write(mapper.writeValueAsString(JsonLines.eventNode(snapshot)));
                    file.newLine();
                    file.flush();
                }
            }
            if (json) {
                synchronized (stdout) {
                    stdout.println(mapper.writeValueAsString(JsonLines.eventNode(snapshot)));
                    stdout.flush();
                }
            } else {
                synchronized (stdout) {
                    stdout.println(Texts.snapshot(snapshot));
                    stdout.flush();
                }
            }
        } catch (IOException e) {
            throw SondeException.from(e);
        }
    }
}
