package dev.sonde.bench.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sonde.bench.PairedRounds;
import dev.sonde.core.agent.AgentClient;
import dev.sonde.core.agent.ProbeRoute;
import dev.sonde.core.breakpoints.Breakpoint;
import dev.sonde.core.breakpoints.BreakpointAction;
import dev.sonde.core.breakpoints.BreakpointOptions;
import dev.sonde.core.breakpoints.BreakpointSpec;
import dev.sonde.core.event.Event;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.fixtures.BenchLoop;
import dev.sonde.fixtures.BenchTarget;
import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;
import dev.sonde.jdi.JdiConnector;
import dev.sonde.jdi.JdiOptions;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The in-process agent end to end, on {@link BenchTarget#hit} (the non-stop benchmark's method) called in a tight loop
 * by one thread of a separate JVM that reports its loop rate ({@link BenchLoop}, whose loop stays compiled when a
 * probe retransforms BenchTarget): (1) the loop with the agent loaded and no probe against a bare JVM; (2) the agent's
 * probes, each in rounds armed and not armed; (3) the same logpoint through JDWP (a Sonde session) and Arthas's
 * {@code watch} on the same method, each in rounds armed and not armed in its own JVM; (4) the time from connecting
 * (in process, and as the {@code sonde probe} command's process) to the first probe armed, cold and warm.
 * Rounds run in ABBA pairs ({@link PairedRounds}); a row's cost per hit is the median over its pairs of
 * {@code 1/armed - 1/unarmed}.
 */
public final class AgentProbeBench {

    /**
     * @param window       how long each round counts hits
     * @param warmup       how long each round runs before it counts
     * @param rounds       measured rounds per side of each row
     * @param warmupRounds pairs run first and not counted
     * @param arthasHome   the unpacked Arthas distribution, or null to leave Arthas out
     */
    public record Settings(Duration window, Duration warmup, int rounds, int warmupRounds, Path arthasHome) {
        public Settings {
            if (rounds < 1 || warmupRounds < 0) {
                throw new IllegalArgumentException("Run at least one round (and no negative warm-up rounds).");
            }
        }

        /** One round of {@code window} after {@code warmup}, for benchmarks that measure one state after another. */
        public Settings(Duration window, Duration warmup) {
            this(window, warmup, 1, 0, ArthasPeer.home());
        }

        /** Everything once, quickly: CI's run. */
        public static Settings tiny() {
            return new Settings(Duration.ofMillis(400), Duration.ofMillis(300), 1, 0, ArthasPeer.home());
        }
    }

    /** Who serves a row's probe. */
    public enum Peer { SONDE_AGENT, JDWP, ARTHAS }

    /**
     * One row: the loop's rates in rounds without and with the probe (paired by index) and the lines per second its
     * output file grew by while armed.
     */
    public record Row(String label, Peer peer, List<Double> unarmed, List<Double> armed, List<Double> linesPerSecond) {

        public double unarmedMedian() {
            return PairedRounds.median(unarmed);
        }

        public double armedMedian() {
            return PairedRounds.median(armed);
        }

        /** Median over pairs of the armed loop's time per hit over the unarmed one's. */
        public double ratio() {
            return PairedRounds.pairRatio(unarmed, armed);
        }

        /** The pairs' ratios, smallest and largest: the run-to-run noise a ratio is read against. */
        public double[] spread() {
            double low = Double.MAX_VALUE;
            double high = 0;
            for (int i = 0; i < Math.min(unarmed.size(), armed.size()); i++) {
                low = Math.min(low, unarmed.get(i) / armed.get(i));
                high = Math.max(high, unarmed.get(i) / armed.get(i));
            }
            return new double[] {low, high};
        }

        /** What the probe adds to one hit: the median over pairs of {@code 1/armed - 1/unarmed}, in nanoseconds. */
        public double nanosPerHit() {
            List<Double> costs = new ArrayList<>();
            for (int i = 0; i < Math.min(unarmed.size(), armed.size()); i++) {
                costs.add(1e9 / armed.get(i) - 1e9 / unarmed.get(i));
            }
            return PairedRounds.median(costs);
        }

        public double linesPerSecondMedian() {
            return linesPerSecond.isEmpty() ? 0 : PairedRounds.median(linesPerSecond);
        }
    }

    /**
     * Milliseconds from the start of a connection (or of the command's process) to the first probe armed, one figure per
     * repeat: cold on a JVM that never had the agent, warm right after on the same JVM (a reconnect).
     */
    public record ArmTimes(List<Long> agentClientColds, List<Long> agentClientWarms, List<Long> commandColds, List<Long> commandWarms,
                           long arthasAttach) {

        public long agentClientCold() {
            return median(agentClientColds);
        }

        public long agentClientWarm() {
            return median(agentClientWarms);
        }

        /** The goal's figure: the {@code sonde probe} process on a JVM without the agent, median of the repeats. */
        public long commandCold() {
            return median(commandColds);
        }

        public long commandWarm() {
            return median(commandWarms);
        }

        public int repeats() {
            return commandColds.size();
        }

        private static long median(List<Long> millis) {
            return Math.round(PairedRounds.median(millis.stream().map(Long::doubleValue).toList()));
        }
    }

    /** @param skipped one sentence for each part that did not run, and why */
    public record Result(Row idle, List<Row> rows, ArmTimes armTimes, List<String> skipped) {

        public Row row(Peer peer, String label) {
            return rows.stream().filter(row -> row.peer() == peer && row.label().equals(label)).findFirst().orElse(null);
        }
    }

    /**
     * A probe the agent is asked for, as one row; adding a row is adding one of these to {@link #agentWorkloads}.
     * {@code unread}: no client stays connected while it is measured, so its output is formatted and dropped, never sent.
     * {@code mustStayArmed}: a round in which the agent takes the probe out (its CPU budget, its expiry) is not a
     * measurement, so the row is left out with the agent's sentence instead of reading an idle round as a cost.
     * {@code baseline}: the probe armed in the row's unarmed rounds (null: none), so that the row's cost is what
     * {@code request} adds over it.
     */
    record AgentWorkload(String label, Supplier<ObjectNode> request, boolean unread, boolean mustStayArmed, Supplier<ObjectNode> baseline) {

        AgentWorkload(String label, Supplier<ObjectNode> request, boolean unread) {
            this(label, request, unread, false, null);
        }
    }

    public static final String LOGPOINT = "logpoint, int + String, every hit (limit raised)";
    public static final String LOGPOINT_UNREAD = "the same, no client connected (formatted, not sent)";
    /**
     * One hit in this many takes the snapshot row's snapshot (a condition on the loop's index), so that the probe uses
     * a fraction of the loop thread's time: a probe that captured every hit of a tight loop would use all of it, and its
     * CPU budget, sampled and at most 100% of a core, would take it out within seconds. The row's unarmed rounds run the
     * same probe with a condition that is never true ({@link #SNAPSHOT_NEVER}): the condition and its rarely taken branch
     * change how the JIT compiles the loop, which against a loop without a probe made most of the row's cost. The row's
     * cost per hit times this is then the cost of one snapshot. The never-true condition takes the same 1-in-8192 branch
     * and then tests the loop's name, which is never null; not {@code (i & 8191) == 8192}, which C2 can prove false (the
     * masked value is at most 8191) and fold away with the probe.
     */
    public static final int SNAPSHOT_EVERY = 8192;
    static final String SNAPSHOT_CONDITION = "(i & " + (SNAPSHOT_EVERY - 1) + ") == 0";
    static final String SNAPSHOT_NEVER = SNAPSHOT_CONDITION + " && name == null";
    public static final String SNAPSHOT = "snapshot: stack + locals of 2 frames, 1 hit in " + SNAPSHOT_EVERY + " (unarmed: never true)";
    public static final String CONDITION = "logpoint if name == null: false on every hit";
    public static final String LOGPOINT_LIMITED = "logpoint, int + String, default limit";
    /**
     * Every hit formats: the rate limit raised, and the CPU budgets too (a probe printing every hit of a tight loop uses
     * most of a core, which the default 1 % budget would rightly cut within seconds), so a round measures the probe.
     */
    static final int RAISED_LIMIT = Integer.MAX_VALUE;
    private static final String TEXT = "i={i} name={name}";

    /**
     * The loop's hits per second with the agent idle, with a snapshot on every hit (no rate limit in the way: the
     * stack and the locals of 2 frames, the caller's through LiveStackFrame) and with the top frame's locals only.
     */
    public record SnapshotResult(double idleAgentHitsPerSecond, double twoFramesHitsPerSecond, double topFrameHitsPerSecond,
                                 long snapshotsReceived, boolean callerLocals, double cpuMicrosPerSnapshot, double cpuMicrosPerTopFrameSnapshot) {

        /** What a snapshot of the stack and the locals of 2 frames adds to one hit, in microseconds. */
        public double microsPerSnapshot() {
            return 1e6 / twoFramesHitsPerSecond - 1e6 / idleAgentHitsPerSecond;
        }

        /**
         * The same measured in CPU time of the whole target process (its loop, the agent's writer thread, the JIT) per
         * hit, so that a busy machine, which stretches wall time, does not inflate it: {@code cpuMicrosPerSnapshot} and
         * {@code cpuMicrosPerTopFrameSnapshot} are that per hit with the snapshot minus per hit with the agent idle.
         */
        public String cpuSummary() {
            return String.format(java.util.Locale.ROOT, "CPU per snapshot: %.1f µs (2 frames' locals), %.1f µs (top frame's)",
                    cpuMicrosPerSnapshot, cpuMicrosPerTopFrameSnapshot);
        }

        /** The same with the top frame's locals only (the callers' frames without locals). */
        public double microsPerTopFrameSnapshot() {
            return 1e6 / topFrameHitsPerSecond - 1e6 / idleAgentHitsPerSecond;
        }
    }

    private AgentProbeBench() {
    }

    static String location() {
        return "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit");
    }

    /**
     * The agent's rows; each kind of probe is one entry.
     */
    static List<AgentWorkload> agentWorkloads() {
        Supplier<ObjectNode> everyHit = () -> AgentClient.op("log").put("location", location()).put("text", TEXT).put("limit", RAISED_LIMIT).put("cpuPercent", 100).put("sharedBudget", false);
        return List.of(
                new AgentWorkload(LOGPOINT, everyHit, false),
                new AgentWorkload(LOGPOINT_UNREAD, everyHit, true),
                new AgentWorkload(LOGPOINT_LIMITED, () -> AgentClient.op("log").put("location", location()).put("text", TEXT), false),
                new AgentWorkload(SNAPSHOT, () -> snapshotRequest(SNAPSHOT_CONDITION), false, true, () -> snapshotRequest(SNAPSHOT_NEVER)),
                new AgentWorkload(CONDITION, () -> AgentClient.op("log").put("location", location()).put("text", TEXT).put("limit", RAISED_LIMIT).put("cpuPercent", 100).put("sharedBudget", false)
                        .put("condition", "name == null"), false));
    }

    private static ObjectNode snapshotRequest(String condition) {
        return AgentClient.op("snap").put("location", location()).put("frames", 2).put("limit", RAISED_LIMIT).put("cpuPercent", 100)
                .put("sharedBudget", false).put("condition", condition);
    }

    public static Result run(Settings settings) throws Exception {
        Path files = Files.createTempDirectory("sonde-bench-agent");
        List<String> skipped = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        try {
            Row idle;
            try (TargetJvm bare = startTarget(); TargetJvm agentJvm = startTarget()) {
                try (AgentClient connected = AgentClient.connect(agentJvm.pid())) {
                    idle = idleRow(settings, bare, agentJvm);
                } finally {
                    bare.signal("CONT");
                    agentJvm.signal("CONT");
                }
                bare.close();
                AtomicLong lines = new AtomicLong();
                try (BufferedWriter out = Files.newBufferedWriter(files.resolve("agent.log"))) {
                    for (AgentWorkload workload : agentWorkloads()) {
                        Row row = agentRow(settings, agentJvm, workload, out, lines, skipped);
                        if (row != null) {
                            rows.add(row);
                        }
                    }
                }
            }
            rows.add(jdwpRow(settings, files.resolve("jdwp.log")));
            long arthasAttach = -1;
            if (settings.arthasHome() == null) {
                skipped.add("Arthas: left out (no distribution given).");
            } else if (!Files.isRegularFile(settings.arthasHome().resolve("arthas-boot.jar"))) {
                skipped.add("Arthas: not unpacked at " + settings.arthasHome() + "; build sonde-bench with Maven to fetch it.");
            } else {
                AtomicLong attach = new AtomicLong();
                rows.add(arthasRow(settings, files.resolve("arthas.log"), attach));
                arthasAttach = attach.get();
            }
            return new Result(idle, rows, armTimes(settings.rounds(), arthasAttach), skipped);
        } finally {
            try (var paths = Files.walk(files)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    private static TargetJvm startTarget() {
        return TargetJvm.start(line -> line.startsWith("calls "), "-XX:TieredStopAtLevel=4", "-XX:+EnableDynamicAgentLoading", "-Xmx128m",
                "-cp", Markers.classPath().toString(), BenchLoop.class.getName(), "--report");
    }

    /**
     * The bare JVM and the agent-loaded one, each run alone (the other stopped with SIGSTOP) in ABBA pairs, so that
     * both see the same machine and neither takes a core from the other.
     */
    private static Row idleRow(Settings settings, TargetJvm bare, TargetJvm agentJvm) throws Exception {
        Supplier<long[]> bareRate = LoopRate.of(bare);
        Supplier<long[]> agentRate = LoopRate.of(agentJvm);
        List<PairedRounds.Round> sides = List.of(
                () -> alone(bare, agentJvm, () -> LoopRate.measure(bareRate, settings.warmup(), settings.window(), () -> 0).hitsPerSecond()),
                () -> alone(agentJvm, bare, () -> LoopRate.measure(agentRate, settings.warmup(), settings.window(), () -> 0).hitsPerSecond()));
        PairedRounds.run(settings.warmupRounds(), sides);
        List<List<Double>> figures = PairedRounds.run(settings.rounds(), sides);
        return new Row("agent loaded, no probe (against a bare JVM)", Peer.SONDE_AGENT, figures.get(0), figures.get(1), List.of());
    }

    private static double alone(TargetJvm running, TargetJvm stopped, PairedRounds.Round round) throws Exception {
        stopped.signal("STOP");
        running.signal("CONT");
        return round.measure();
    }

    private static Row agentRow(Settings settings, TargetJvm target, AgentWorkload workload, BufferedWriter out, AtomicLong lines,
                                List<String> skipped) throws Exception {
        Supplier<long[]> rate = LoopRate.of(target);
        List<Double> linesPerSecond = new ArrayList<>();
        String[] refused = new String[1];
        AtomicReference<String> takenOut = new AtomicReference<>();
        List<PairedRounds.Round> sides = List.of(
                () -> workload.baseline() == null ? LoopRate.measure(rate, settings.warmup(), settings.window(), () -> 0).hitsPerSecond()
                        : armedRound(settings, target, workload, workload.baseline(), rate, out, lines, refused, takenOut, null),
                () -> armedRound(settings, target, workload, workload.request(), rate, out, lines, refused, takenOut, linesPerSecond));
        PairedRounds.run(settings.warmupRounds(), sides);
        linesPerSecond.clear();
        List<List<Double>> figures = PairedRounds.run(settings.rounds(), sides);
        if (refused[0] != null) {
            skipped.add(workload.label() + ": the agent refused it (" + refused[0] + ")");
            return null;
        }
        if (takenOut.get() != null) {
            skipped.add(workload.label() + ": NOT measured, the agent took the probe out during a round (" + takenOut.get() + ")");
            return null;
        }
        return new Row(workload.label(), Peer.SONDE_AGENT, figures.get(0), figures.get(1), linesPerSecond);
    }

    /**
     * One round with {@code request}'s probe armed (a connection of its own, as `sonde probe` makes one; its setup outside
     * the measured window): the loop's hits per second, and the lines per second its output grew by into {@code linesPerSecond}
     * (null: not counted, as for a baseline probe).
     */
    private static double armedRound(Settings settings, TargetJvm target, AgentWorkload workload, Supplier<ObjectNode> request,
                                     Supplier<long[]> rate, BufferedWriter out, AtomicLong lines, String[] refused,
                                     AtomicReference<String> takenOut, List<Double> linesPerSecond) {
        if (refused[0] != null) {
            return Double.NaN;
        }
        AgentClient client = AgentClient.connect(target.pid());
        int[] armedId = {-1};
        client.onEvent(event -> {
            write(out, lines, event);
            String kind = event.path("event").asText();
            if (workload.mustStayArmed() && (kind.equals("disabled") || kind.equals("expired") || kind.equals("removed"))
                    && event.path("probe").asInt() == armedId[0]) {
                takenOut.compareAndSet(null, event.path("text").asText());
            }
        });
        JsonNode answer = client.request(request.get());
        armedId[0] = answer.path("probe").path("id").asInt(-1);
        if (!answer.path("ok").asBoolean()) {
            refused[0] = answer.path("error").asText();
            client.close();
            return Double.NaN;
        }
        if (workload.unread()) {
            client.request(AgentClient.op("quit"));
            client.close();
        }
        try {
            LoopRate.Window window = LoopRate.measure(rate, settings.warmup(), settings.window(), lines::get);
            if (linesPerSecond != null) {
                linesPerSecond.add(window.countedPerSecond());
            }
            return window.hitsPerSecond();
        } finally {
            if (workload.unread()) {
                client = AgentClient.connect(target.pid());
            }
            client.request(AgentClient.op("remove").put("probe", answer.path("probe").path("id").asInt()));
            client.close();
        }
    }

    private static void write(BufferedWriter out, AtomicLong lines, JsonNode event) {
        String kind = event.path("event").asText();
        if (!kind.equals("log") && !kind.equals("snapshot")) {
            return;
        }
        try {
            out.write(kind.equals("log") ? event.path("text").asText() : event.toString());
            out.newLine();
            lines.incrementAndGet();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same logpoint through JDWP: a Sonde session on a JVM started with the JDWP agent, as `sonde debug` runs one. */
    private static Row jdwpRow(Settings settings, Path file) throws Exception {
        AtomicReference<long[]> latest = new AtomicReference<>();
        StringBuilder partial = new StringBuilder();
        JvmLaunchSpec spec = JvmLaunchSpec.of(List.of("-cp", Markers.classPath().toString(), BenchLoop.class.getName(), "--report"));
        try (DebugServer target = DebugServer.start(spec, (category, text) -> {
            synchronized (partial) {
                partial.append(text);
                for (int end = partial.indexOf("\n"); end >= 0; end = partial.indexOf("\n")) {
                    long[] report = LoopRate.parse(partial.substring(0, end));
                    if (report != null) {
                        latest.set(report);
                    }
                    partial.delete(0, end + 1);
                }
            }
        }); BufferedWriter out = Files.newBufferedWriter(file)) {
            AtomicLong lines = new AtomicLong();
            List<Double> linesPerSecond = new ArrayList<>();
            List<PairedRounds.Round> sides = List.of(
                    () -> LoopRate.measure(latest::get, settings.warmup(), settings.window(), () -> 0).hitsPerSecond(),
                    () -> {
                        // JDWP forced: on a local JVM a session would otherwise hand its logpoint to the agent.
                        Session session = Session.connect("bench", JdiConnector.attach(target.address(),
                                        JdiOptions.DEFAULT.withProbeRoute(ProbeRoute.JDWP)),
                                SessionOptions.DEFAULT, Duration.ofSeconds(30));
                        try {
                            session.subscribe(event -> {
                                if (event instanceof Event.Output output && output.breakpointId() != 0) {
                                    try {
                                        out.write(output.text());
                                        lines.incrementAndGet();
                                    } catch (IOException e) {
                                        throw new UncheckedIOException(e);
                                    }
                                }
                            });
                            Breakpoint breakpoint = session.addBreakpoint(new BreakpointSpec.ClassLine(BenchTarget.class.getName(),
                                    Markers.line(BenchTarget.class, "hit")), BreakpointOptions.DEFAULT.withAction(new BreakpointAction.Log("i={i} name={name}")));
                            LoopRate.Window window = LoopRate.measure(latest::get, settings.warmup(), settings.window(), lines::get);
                            linesPerSecond.add(window.countedPerSecond());
                            session.removeBreakpoint(breakpoint.id());
                            return window.hitsPerSecond();
                        } finally {
                            session.detach();
                        }
                    });
            PairedRounds.run(settings.warmupRounds(), sides);
            linesPerSecond.clear();
            List<List<Double>> figures = PairedRounds.run(settings.rounds(), sides);
            return new Row("logpoint, int + String (a Sonde session)", Peer.JDWP, figures.get(0), figures.get(1), linesPerSecond);
        }
    }

    /** Arthas's {@code watch} of the method's two arguments in batch mode, its output to a file. */
    private static Row arthasRow(Settings settings, Path file, AtomicLong attachMillis) throws Exception {
        try (TargetJvm target = startTarget(); ArthasPeer arthas = ArthasPeer.attach(settings.arthasHome(), target.pid())) {
            attachMillis.set(arthas.attachMillis());
            Supplier<long[]> rate = LoopRate.of(target);
            List<Double> linesPerSecond = new ArrayList<>();
            List<PairedRounds.Round> sides = List.of(
                    () -> LoopRate.measure(rate, settings.warmup(), settings.window(), () -> 0).hitsPerSecond(),
                    () -> {
                        ArthasPeer.Watch watch = arthas.watch(BenchTarget.class.getName(), "hit", "{params[0], params[1]}", file);
                        try {
                            LoopRate.Window window = LoopRate.measure(rate, settings.warmup(), settings.window(), watch::records);
                            linesPerSecond.add(window.countedPerSecond());
                            return window.hitsPerSecond();
                        } finally {
                            watch.close();
                        }
                    });
            PairedRounds.run(settings.warmupRounds(), sides);
            linesPerSecond.clear();
            List<List<Double>> figures = PairedRounds.run(settings.rounds(), sides);
            return new Row("watch '{params[0], params[1]}'", Peer.ARTHAS, figures.get(0), figures.get(1), linesPerSecond);
        }
    }

    /** The cost per hit of a snapshot on {@link BenchTarget}'s loop, captured on every hit. */
    public static SnapshotResult snapshots(Settings settings) {
        try (TargetJvm target = startTarget(); AgentClient client = AgentClient.connect(target.pid())) {
            long[] snapshots = new long[1];
            client.onEvent(event -> {
                if (event.path("event").asText().equals("snapshot")) {
                    snapshots[0]++;
                }
            });
            double[] idle = cpuAndRate(target, settings);
            String location = "BenchTarget.java:" + Markers.line(BenchTarget.class, "hit");
            var two = client.request(AgentClient.op("snap").put("location", location).put("frames", 2).put("limit", 100_000_000).put("cpuPercent", 100).put("sharedBudget", false));
            if (!two.path("ok").asBoolean()) {
                throw new IllegalStateException("the snapshot was refused: " + two.path("error").asText());
            }
            double[] twoFrames = cpuAndRate(target, settings);
            client.request(AgentClient.op("remove").put("probe", two.path("probe").path("id").asInt()));
            client.request(AgentClient.op("snap").put("location", location).put("frames", 1).put("limit", 100_000_000).put("cpuPercent", 100).put("sharedBudget", false));
            double[] topFrame = cpuAndRate(target, settings);
            client.request(AgentClient.op("detach"));
            return new SnapshotResult(idle[1], twoFrames[1], topFrame[1], snapshots[0], two.path("probe").path("callerLocals").asBoolean(),
                    (twoFrames[0] - idle[0]) / 1000, (topFrame[0] - idle[0]) / 1000);
        }
    }

    /** The target process's CPU nanoseconds per hit of its loop, and its hits per second, over the window. */
    private static double[] cpuAndRate(TargetJvm target, Settings settings) {
        LoopRate.Window window = LoopRate.measure(LoopRate.of(target), settings.warmup(), settings.window(), () -> cpuNanos(target));
        return new double[] {window.countedPerSecond() / window.hitsPerSecond(), window.hitsPerSecond()};
    }

    private static long cpuNanos(TargetJvm target) {
        return ProcessHandle.of(target.pid()).flatMap(p -> p.info().totalCpuDuration()).map(java.time.Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the CPU time of " + target.pid() + " cannot be read"));
    }

    /** The loop's hits per second over one window after the warm-up, as it runs now (for benchmarks of one state at a time). */
    static double rate(TargetJvm target, Settings settings) {
        return LoopRate.measure(LoopRate.of(target), settings.warmup(), settings.window(), () -> 0).hitsPerSecond();
    }

    /**
     * {@code repeats} times, each on two fresh JVMs: in process and the {@code sonde probe} process, each cold then warm,
     * the two in ABBA order (in process first in even repeats, the process first in odd ones).
     */
    private static ArmTimes armTimes(int repeats, long arthasAttach) throws IOException, InterruptedException {
        List<Long> clientCold = new ArrayList<>();
        List<Long> clientWarm = new ArrayList<>();
        List<Long> commandCold = new ArrayList<>();
        List<Long> commandWarm = new ArrayList<>();
        for (int repeat = 0; repeat < repeats; repeat++) {
            for (boolean inProcess : repeat % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                try (TargetJvm fresh = startTarget()) {
                    if (inProcess) {
                        clientCold.add(armMillis(fresh.pid()));
                        clientWarm.add(armMillis(fresh.pid()));
                    } else {
                        commandCold.add(commandArmMillis(fresh.pid()));
                        commandWarm.add(commandArmMillis(fresh.pid()));
                    }
                }
            }
        }
        return new ArmTimes(clientCold, clientWarm, commandCold, commandWarm, arthasAttach);
    }

    /** In process: {@link AgentClient#connect} (loading the agent if needed) to the logpoint's answer; then removed. */
    private static long armMillis(long pid) {
        long started = System.nanoTime();
        try (AgentClient client = AgentClient.connect(pid)) {
            JsonNode answer = client.request(AgentClient.op("log").put("location", location()).put("text", TEXT));
            long millis = (System.nanoTime() - started) / 1_000_000;
            if (!answer.path("ok").asBoolean()) {
                throw new IllegalStateException("The agent refused the logpoint: " + answer.path("error").asText());
            }
            client.request(AgentClient.op("detach"));
            return millis;
        }
    }

    /** sonde-bench's target directory: where its classes (tests) or its jar (./sonde bench) are. */
    static Path buildDirectory() {
        return Path.of(AgentProbeBench.class.getProtectionDomain().getCodeSource().getLocation().getPath()).getParent();
    }

    /** sonde-cli's runnable jar next to this module's build, as ./sonde runs it; null when it is not built. */
    static Path sondeJar() {
        Path jar = buildDirectory().getParent().getParent().resolve("sonde-cli").resolve("target").resolve("sonde.jar");
        return Files.isRegularFile(jar) ? jar : null;
    }

    /**
     * As a user runs it: the {@code sonde probe PID --exec log... --exec detach --json} process, from its start to the
     * line saying the logpoint is armed: sonde-cli's jar with the launcher's flags when it is built, else this JVM's class path.
     */
    private static long commandArmMillis(long pid) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Path jar = sondeJar();
        if (jar != null) {
            // what ./sonde runs: the jar and its class data sharing archive
            command.addAll(List.of("-XX:SharedArchiveFile=" + jar.resolveSibling("sonde.jsa"), "-XX:+AutoCreateSharedArchive",
                    "-Xlog:cds=off", "-Xlog:cds+dynamic=off", "-jar", jar.toString()));
        } else {
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.sonde.cli.Main"));
        }
        command.addAll(List.of("probe", Long.toString(pid), "--json", "--exec", "log " + location() + " \"" + TEXT + "\"", "--exec", "detach"));
        long started = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        List<String> seen = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                seen.add(line);
                if (line.contains("\"command\":\"log\"")) {
                    long millis = (System.nanoTime() - started) / 1_000_000;
                    if (!line.contains("\"ok\":true")) {
                        throw new IllegalStateException("sonde probe did not arm the logpoint: " + line);
                    }
                    lines.transferTo(java.io.Writer.nullWriter());
                    process.waitFor();
                    return millis;
                }
            }
        } finally {
            process.destroyForcibly();
        }
        throw new IllegalStateException("sonde probe ended without arming the logpoint: " + seen);
    }
}
