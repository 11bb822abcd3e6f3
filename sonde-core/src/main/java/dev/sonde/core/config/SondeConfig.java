package dev.sonde.core.config;

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
                          Map<String, Object> runtime) {

    public SondeConfig {
        runtime = runtime == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(runtime));
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
