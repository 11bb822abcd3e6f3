package dev.sonde.bench.dashboard;

import dev.sonde.core.launch.BindPolicy;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.history.JvmHistory;
import dev.sonde.dashboard.history.Sample;
import dev.sonde.dashboard.watch.JvmSource;
import dev.sonde.dashboard.watch.JvmStatus;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.watch.WatchedJvm;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.demo.OrderService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The dashboard at fleet size: N demo services (each a real JVM running sonde-runtime with its flaky
 * payments, scope misuse and leaks), watched over JMX at the default 1 s interval. Measures how long one
 * refresh round takes (every JVM polled and its sample derived) and the dashboard's heap once every JVM holds
 * a full history window (15 minutes by default: the history is topped up to capacity with copies of each
 * JVM's last real sample, since waiting 15 minutes would measure nothing more).
 */
public final class DashboardBench {

    public record Settings(int jvms, Duration measured, Duration warmup, Duration history) {
    }

    /**
     * @param roundMillis  every measured round's duration, in order
     * @param heapMb       the dashboard's heap after a full GC, with a full history for every JVM, minus the heap before it started
     * @param liveJvms     JVMs live in the last round
     */
    public record Result(int jvms, List<Long> roundMillis, double heapMb, int liveJvms, int samplesPerJvm, int operationsPerJvm) {

        public long percentile(double p) {
            List<Long> sorted = roundMillis.stream().sorted().toList();
            return sorted.isEmpty() ? -1 : sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
        }
    }

    private DashboardBench() {
    }

    public static Result run(Settings settings) throws Exception {
        List<Process> services = new ArrayList<>();
        try {
            List<JvmSource.Remote> remotes = new ArrayList<>();
            List<CountDownLatch> started = new ArrayList<>();
            for (int i = 0; i < settings.jvms(); i++) {
                int port = BindPolicy.freeLoopbackPort();
                CountDownLatch ready = new CountDownLatch(1);
                services.add(startService(port, ready));
                started.add(ready);
                remotes.add(new JvmSource.Remote("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi", null, null));
            }
            for (CountDownLatch ready : started) {
                if (!ready.await(120, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("A demo service did not start within 120 s; the machine may be overloaded.");
                }
            }
            double heapBefore = heapAfterGcMb();
            WatchSettings watch = new WatchSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), settings.history(), Duration.ofSeconds(10),
                    remotes, 0.8, false);
            List<Long> rounds = new CopyOnWriteArrayList<>();
            long measureFrom = System.nanoTime() + settings.warmup().toNanos();
            try (Dashboard dashboard = Dashboard.start(watch, "127.0.0.1", 0, false, AccessToken.random(), List.of())) {
                dashboard.watcher().onRound(round -> {
                    if (System.nanoTime() >= measureFrom) {
                        rounds.add(round.tookMillis());
                    }
                });
                Thread.sleep(settings.warmup().plus(settings.measured()).toMillis());
                List<WatchedJvm> jvms = dashboard.watcher().jvms();
                int live = (int) jvms.stream().filter(jvm -> jvm.view().status() == JvmStatus.LIVE).count();
                int operations = 0;
                for (WatchedJvm jvm : jvms) {
                    Sample last = jvm.view().sample();
                    if (last != null) {
                        operations = Math.max(operations, last.operations().size());
                        fill(jvm.history(), last);
                    }
                }
                dashboard.watcher().close();
                double heap = heapAfterGcMb() - heapBefore;
                int samples = jvms.isEmpty() ? 0 : jvms.getFirst().history().size();
                return new Result(settings.jvms(), List.copyOf(rounds), heap, live, samples, operations);
            }
        } finally {
            services.forEach(Process::destroy);
            for (Process service : services) {
                if (!service.waitFor(10, TimeUnit.SECONDS)) {
                    service.destroyForcibly();
                }
            }
        }
    }

    /** Tops a history up to its capacity with the last sample, one interval apart, as 15 minutes of polling would. */
    private static void fill(JvmHistory history, Sample last) {
        long at = last.atMillis();
        while (history.size() < history.capacity()) {
            at += 1000;
            history.add(new Sample(at, last.throughput(), last.errorRate(), last.p99Millis(), last.inFlight(), last.processCpu(),
                    last.systemCpu(), last.heapUsedMb(), last.heapMaxMb(), last.threads(), last.gcMillisPerSecond(),
                    last.virtualMounted(), last.virtualQueued(), last.operations()));
        }
    }

    private static double heapAfterGcMb() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
    }

    private static Process startService(int jmxPort, CountDownLatch ready) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx96m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-XX:CICompilerCount=1",
                "-Dcom.sun.management.jmxremote.port=" + jmxPort, "-Dcom.sun.management.jmxremote.rmi.port=" + jmxPort,
                "-Dcom.sun.management.jmxremote.host=127.0.0.1", "-Djava.rmi.server.hostname=127.0.0.1",
                "-Dcom.sun.management.jmxremote.authenticate=false", "-Dcom.sun.management.jmxremote.ssl=false",
                "-cp", System.getProperty("java.class.path"), OrderService.class.getName());
        Process service = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread.ofPlatform().daemon().name("demo-output-" + service.pid()).start(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    if (line.equals("order service started")) {
                        ready.countDown();
                    }
                }
            } catch (IOException ended) {
                // the service was stopped
            }
        });
        return service;
    }
}
