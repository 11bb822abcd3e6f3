package dev.sonde.cli.demo;

import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.dashboard.web.DashboardServer;
import dev.sonde.demo.OrderService;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code sonde demo --dashboard}: the demo order service (flaky payments, a scope misused across threads,
 * leaked sessions, two clerks deadlocked on the ledger) with the dashboard watching it, until Ctrl-C.
 */
final class DemoDashboard {

    private final PrintStream out;
    private final String classPath;
    private final Duration timeout;
    private final List<DashboardServer.Extension> extensions;

    DemoDashboard(PrintStream out, String classPath, Duration timeout, List<DashboardServer.Extension> extensions) {
        this.out = out;
        this.classPath = classPath;
        this.timeout = timeout;
        this.extensions = extensions;
    }

    int run() throws InterruptedException {
        Process service = startService();
        CountDownLatch stopped = new CountDownLatch(1);
        Thread stopOnExit = Thread.ofPlatform().unstarted(() -> {
            service.destroy();
            stopped.countDown();
        });
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        WatchSettings settings = new WatchSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(15), timeout,
                List.of(), 0.8, true);
        try (Dashboard dashboard = Dashboard.start(settings, "127.0.0.1", 0, false, AccessToken.random(), extensions)) {
            out.println("Sonde demo: the order service (pid " + service.pid() + ") runs with sonde-runtime; the dashboard watches it.");
            out.println("Open: " + dashboard.url());
            out.println("It shows payments failing and retried, a scope misused across threads, leaked sessions and two deadlocked");
            out.println("clerks, live. Ctrl-C stops the dashboard and the service.");
            service.onExit().thenRun(stopped::countDown);
            stopped.await();
            if (!service.isAlive() && service.exitValue() != 0 && service.exitValue() != 143) {
                out.println("The order service ended on its own (exit " + service.exitValue() + ").");
            }
        } finally {
            service.destroy();
            if (!service.waitFor(5, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
        }
        return 0;
    }

    private Process startService() {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC", "-cp", classPath, OrderService.class.getName(), "--deadlock");
        try {
            Process service = new ProcessBuilder(command).redirectErrorStream(true).start();
            // The service prints each order; the dashboard shows what matters, so its output is read and dropped.
            Thread.ofPlatform().daemon().name("demo-service-output").start(() -> {
                try (BufferedReader lines = new BufferedReader(new InputStreamReader(service.getInputStream(), StandardCharsets.UTF_8))) {
                    while (lines.readLine() != null) {
                        // dropped
                    }
                } catch (IOException ended) {
                    // the service ended
                }
            });
            return service;
        } catch (IOException e) {
            throw SondeException.badState("The demo service could not start (" + e.getMessage() + "); check that " + command.get(0) + " runs.");
        }
    }
}
