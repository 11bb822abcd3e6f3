package dev.sonde.cli.dashboard;

import dev.sonde.cli.GlobalOptions;
import dev.sonde.cli.SondeCommand;
import dev.sonde.core.config.ConfigLoader;
import dev.sonde.core.config.ConfigWatcher;
import dev.sonde.core.config.DurationText;
import dev.sonde.core.config.SondeConfig;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.BindChoice;
import dev.sonde.dashboard.Dashboard;
import dev.sonde.dashboard.metrics.MetricsRoutes;
import dev.sonde.dashboard.report.ReportRoutes;
import dev.sonde.dashboard.watch.JvmSource;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.web.AccessToken;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

/** {@code sonde dashboard}: every JVM's async health and every debug session on one live web page. */
@Command(name = "dashboard",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Serve a live web page showing every JVM on this machine (and JVMs given by JMX URL):",
                "operations with throughput and p99 charts, async operations in flight, scope misuse,",
                "resources and leaks, deadlocks and blocked threads, executors, recovery, KPIs with a",
                "red/amber/green state, system figures, and every running Sonde debug session.",
                "JVMs with sonde-runtime show everything; others show what the JVM itself reports.",
                "The page updates itself once a round (server push) and can change runtime settings.",
                "",
                "It prints one URL with a random token: open it. Requests without the token get 401."},
        footer = {"", "Examples:",
                "  sonde dashboard                        # a free loopback port, URL printed",
                "  sonde dashboard --port 8090 --open     # a fixed port, opened in the browser",
                "  sonde dashboard --jmx service:jmx:rmi:///jndi/rmi://db-host:9010/jmxrmi",
                "  ./sonde demo --dashboard               # the demo service with its failures, on the page",
                "",
                "Credentials for --jmx URLs come from the config file (dashboard.jmx), never the command line."})
public final class DashboardCommand implements Callable<Integer> {

    @ParentCommand
    SondeCommand root;

    @Mixin
    GlobalOptions global;

    @Option(names = "--port", paramLabel = "N", description = "Port to serve on (default: dashboard.port, 0: a free one).")
    Integer port;

    @Option(names = "--bind", paramLabel = "ADDR", description = "Address to serve on (default: dashboard.bind, 127.0.0.1).")
    String bind;

    @Option(names = "--allow-remote", description = "Allow a --bind address other than loopback: whoever reaches it with the "
            + "token can read every watched service and change its settings.")
    boolean allowRemote;

    @Option(names = "--interval", paramLabel = "DURATION", description = "How often each JVM is polled (default: dashboard.interval, 1s).")
    String interval;

    @Option(names = "--jmx", paramLabel = "URL", description = "Also watch the JVM at this JMX service URL (repeatable); "
            + "credentials for it come from dashboard.jmx in the config file.")
    List<String> jmx = new ArrayList<>();

    @Option(names = "--no-local", description = "Watch only the JMX JVMs, not the JVMs on this machine.")
    boolean noLocal;

    @Option(names = "--open", description = "Open the page in the default browser.")
    boolean open;

    @Override
    public Integer call() throws InterruptedException {
        ConfigLoader.Loaded loaded = global.loadConfig();
        loaded = bind != null ? loaded.override("dashboard.bind", bind, "--bind") : loaded;
        loaded = allowRemote ? loaded.override("dashboard.allowRemote", "true", "--allow-remote") : loaded;
        SondeConfig config = loaded.config();
        WatchSettings settings = watchSettings(config);
        SondeConfig.Dashboard chosen = config.dashboard();
        BindChoice bindChoice = BindChoice.of(loaded, "dashboard").requireConsent("the dashboard");
        String address = chosen.bind();
        boolean remoteAllowed = chosen.allowRemote();
        CountDownLatch stopped = new CountDownLatch(1);
        MetricsRoutes metrics = new MetricsRoutes(chosen.scrapeTokenFile() == null || chosen.scrapeTokenFile().isBlank()
                ? AccessToken.random() : AccessToken.inFile(Path.of(chosen.scrapeTokenFile().replaceFirst("^~(?=/|$)",
                        java.util.regex.Matcher.quoteReplacement(System.getProperty("user.home"))))));
        try (Dashboard dashboard = Dashboard.start(settings, address, port != null ? port : chosen.port(), remoteAllowed,
                AccessToken.random(), List.of(new ReportRoutes(), metrics));
             ConfigWatcher reload = new ConfigWatcher(ConfigLoader.watchedFiles(global.configFile()),
                     global::loadConfig, Duration.ofSeconds(1), changed -> reload(dashboard, changed), this::reloadFailed)) {
            root.out().println("Sonde dashboard: " + dashboard.url());
            URI page = URI.create(dashboard.url());
            String scrapeFile = chosen.scrapeTokenFile();
            root.out().println("Prometheus: " + page.getScheme() + "://" + page.getRawAuthority() + MetricsRoutes.PATH
                    + (scrapeFile == null || scrapeFile.isBlank() ? " with header Authorization: Bearer " + metrics.scrapeToken().value()
                    : " with the bearer token in " + scrapeFile));
            root.out().println("Watching " + (settings.locals() ? "the JVMs on this machine" : "no local JVM")
                    + (settings.remotes().isEmpty() ? "" : " and " + settings.remotes().size() + " by JMX")
                    + ", every " + DurationText.format(settings.interval()) + "; settings reload from "
                    + reload.files().stream().map(Path::toString).collect(Collectors.joining(" or ")) + "; Ctrl-C stops.");
            bindChoice.warning("the dashboard", null).ifPresent(root.err()::println);
            if (open) {
                openBrowser(dashboard.url());
            }
            Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(stopped::countDown));
            stopped.await();
        }
        return 0;
    }

    /** The config's dashboard section with the flags on top. */
    private WatchSettings watchSettings(SondeConfig config) {
        SondeConfig.Dashboard chosen = config.dashboard();
        Duration every = interval != null ? DurationText.parse(interval) : chosen.interval();
        Map<String, JvmSource.Remote> remotes = new LinkedHashMap<>();
        for (SondeConfig.JmxTarget target : chosen.jmx()) {
            remotes.put(target.url(), new JvmSource.Remote(target.url(), target.username(), target.password()));
        }
        for (String url : jmx) {
            remotes.putIfAbsent(url.strip(), new JvmSource.Remote(url.strip(), null, null));
        }
        try {
            return new WatchSettings(every, chosen.rescan(), chosen.history(), config.attach().timeout(), List.copyOf(remotes.values()),
                    chosen.amberAt(), !noLocal);
        } catch (IllegalArgumentException e) {
            throw SondeException.invalidInput(e.getMessage());
        }
    }

    private void reload(Dashboard dashboard, SondeConfig changed) {
        try {
            dashboard.watcher().update(watchSettings(changed));
            root.out().println("Settings reloaded: every " + DurationText.format(dashboard.watcher().settings().interval())
                    + ", " + dashboard.watcher().settings().remotes().size() + " JVMs by JMX, amber at "
                    + Math.round(dashboard.watcher().settings().amberAt() * 100) + "% of a KPI's threshold"
                    + " (a new bind or port takes a restart).");
        } catch (SondeException e) {
            reloadFailed(e);
        }
    }

    private void reloadFailed(SondeException e) {
        root.err().println("The changed settings were not applied, the dashboard goes on with the ones before: " + e.getMessage());
    }

    private void openBrowser(String url) {
        try {
            new ProcessBuilder("xdg-open", url).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            root.err().println("Could not open a browser (" + e.getMessage() + "); open the URL above yourself.");
        }
    }
}
