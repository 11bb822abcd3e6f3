package dev.sonde.core.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sonde's settings. Every key has a default (see {@link #DEFAULTS} and docs/configuration.md); a
 * {@code sonde.yaml} or {@code sonde.json} overrides them, {@code SONDE_*} environment variables override
 * the file, and command-line flags override everything.
 */
public record SondeConfig(Attach attach, SessionSettings session, Server server, Console console,
                          Values values, Stepping stepping, Eval eval, Breakpoints breakpoints, Snapshots snapshots,
                          Probes probes, Dashboard dashboard, Map<String, Object> runtime) {

    public SondeConfig {
        runtime = runtime == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(runtime));
    }

    /**
     * The web dashboard ({@code sonde dashboard}).
     *
     * @param interval    how often every watched JVM is read
     * @param rescan      how often local JVMs are looked for (new ones appear, ended ones are marked gone)
     * @param history     how far back the charts and reports reach, kept in the dashboard's memory
     * @param bind        address the page is served on
     * @param port        its port; 0 picks a free one
     * @param allowRemote allow a bind address other than loopback
     * @param jmx         JVMs elsewhere, reached over JMX
     * @param amberAt     a KPI at this fraction of its threshold shows amber; past the threshold it shows red
     * @param scrapeTokenFile a file holding the read-only /metrics token, so that Prometheus' config survives restarts
     *                    (created with a random token, readable only by the user, when missing); null for a new token each start
     */
    public record Dashboard(Duration interval, Duration rescan, Duration history, String bind, int port, boolean allowRemote,
                            List<JmxTarget> jmx, double amberAt, String scrapeTokenFile) {

        public Dashboard {
            jmx = jmx == null ? List.of() : List.copyOf(jmx);
        }
    }

    /**
     * A JVM the dashboard reaches over JMX. Credentials come only from the config file: the password is never
     * written out, not by {@link #toString()}, not by {@code sonde config show}.
     *
     * @param url      {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi}
     * @param username null when the JVM asks for none
     * @param password null when the JVM asks for none
     */
    public record JmxTarget(String url, String username,
                            @JsonProperty(access = JsonProperty.Access.WRITE_ONLY) String password) {

        /** A target given by its URL alone, as {@code SONDE_DASHBOARD_JMX=URL,URL} and a plain list entry give it. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static JmxTarget of(String url) {
            return new JmxTarget(url, null, null);
        }

        @Override
        public String toString() {
            return url + (username == null ? "" : " as " + username) + (password == null ? "" : " (password hidden)");
        }
    }

    /** Connecting to a target. @param timeout how long to keep retrying a target that is not up yet */
    public record Attach(Duration timeout) {
    }

    /** @param requestTimeout how long a command waits for the target to answer */
    public record SessionSettings(Duration requestTimeout) {
    }

    /**
     * Debug servers that Sonde starts.
     *
     * @param bind        address the debug port listens on
     * @param port        port to listen on; 0 picks a free one
     * @param allowRemote allow a bind address other than loopback
     * @param java        java executable for launched targets; empty for the one running Sonde
     */
    public record Server(String bind, int port, boolean allowRemote, String java) {
    }

    /**
     * The console and batch mode.
     *
     * @param waitTimeout how long {@code wait} waits when given no timeout
     * @param history     file that keeps the console's command history; empty for none
     */
    public record Console(Duration waitTimeout, String history) {
    }

    /**
     * How much of a value to show.
     *
     * @param maxElements     array and collection elements shown
     * @param maxStringLength characters of a string shown
     */
    public record Values(int maxElements, int maxStringLength) {
    }

    /**
     * What stepping skips.
     *
     * @param exclude       class patterns never stopped in ({@code java.*})
     * @param skipSynthetic skip compiler-made methods (bridges, accessors; lambda bodies are kept)
     */
    public record Stepping(List<String> exclude, boolean skipSynthetic) {
    }

    /**
     * Evaluating expressions ({@code print}, conditions, logpoints, snapshots).
     *
     * @param invoke        whether expressions may run code in the target (method calls, {@code new}, toString)
     * @param invokeTimeout how long code run in the target may take before the evaluation fails
     */
    public record Eval(boolean invoke, Duration invokeTimeout) {
    }

    /**
     * Breakpoints.
     *
     * @param conditionErrors what a condition that cannot be evaluated does: {@code stop} or {@code ignore} (treated as false);
     *                        either way the error is reported once
     */
    public record Breakpoints(String conditionErrors) {
    }

    /**
     * Snapshots ({@code snap}, {@code sonde snapshot}).
     *
     * @param frames how many frames from the top get their locals captured
     * @param depth  how many levels of object fields those locals show
     */
    public record Snapshots(int frames, int depth) {
    }

    /**
     * Logpoints of a debug session ({@code sonde debug}, {@code attach}, {@code dap}).
     *
     * @param mode {@code auto}: through the Sonde agent, in process, when the target is a JVM on this machine that
     *             takes it, else through JDWP; {@code jdwp} or {@code agent} forces one
     */
    public record Probes(String mode) {
    }

    public static final SondeConfig DEFAULTS = new SondeConfig(
            new Attach(Duration.ofSeconds(10)),
            new SessionSettings(Duration.ofSeconds(30)),
            new Server("127.0.0.1", 0, false, ""),
            new Console(Duration.ofSeconds(30), "~/.sonde_history"),
            new Values(10, 500),
            new Stepping(List.of("java.*", "javax.*", "jdk.*", "sun.*", "com.sun.*"), true),
            new Eval(true, Duration.ofSeconds(2)),
            new Breakpoints("stop"),
            new Snapshots(3, 0),
            new Probes("auto"),
            new Dashboard(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofMinutes(15), "127.0.0.1", 0, false, List.of(), 0.8, null),
            Map.of());

    /**
     * The {@code runtime:} section: settings for sonde-runtime inside a service, applied with
     * {@code sonde inspect PID --apply FILE}, as dotted keys ({@code scopes.mode}) to values.
     */
    public Map<String, String> runtimeSettings() {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("", runtime, flat);
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> section, Map<String, String> into) {
        for (Map.Entry<?, ?> entry : section.entrySet()) {
            String key = prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey();
            if (entry.getValue() instanceof Map<?, ?> nested) {
                flatten(key, nested, into);
            } else if (entry.getValue() != null) {
                into.put(key, String.valueOf(entry.getValue()));
            }
        }
    }
}
