package dev.sonde.runtime.settings;

import dev.sonde.runtime.threads.StackCapture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * One tunable of the runtime: its key (also the system property {@code sonde.runtime.KEY}), its
 * default, and how its text is read and checked. All settings are constants of this class.
 *
 * @param <T> the value's type
 */
public final class Setting<T> {

    private static final List<Setting<?>> REGISTERED = new ArrayList<>();

    public static final Setting<ScopeMode> SCOPES_MODE = ofEnum("scopes.mode", ScopeMode.class, ScopeMode.REPORT,
            "How scope misuse is handled: OFF, REPORT (record and go on) or STRICT (record and throw).");
    public static final Setting<StackCapture> SCOPES_ENTRY_STACKS = ofEnum("scopes.entryStacks", StackCapture.class,
            StackCapture.OFF, "Record where scopes were entered: OFF, SAMPLED (one in stacks.samplingInterval) or ALL.");
    public static final Setting<StackCapture> RESOURCES_ALLOCATION_STACKS = ofEnum("resources.allocationStacks",
            StackCapture.class, StackCapture.OFF,
            "Record where resources were registered: OFF, SAMPLED (one in stacks.samplingInterval) or ALL.");
    public static final Setting<StackCapture> TASKS_CAPTURE_STACKS = ofEnum("tasks.captureStacks", StackCapture.class,
            StackCapture.OFF, "Record where tasks of wrapped executors and trackAsync operations were handed off, for the "
                    + "debugger's async stacks: OFF, SAMPLED (one in stacks.samplingInterval) or ALL.");
    public static final Setting<Integer> TASKS_HAND_OFF_DEPTH = ofInt("tasks.handOffDepth", 8, 1, 64,
            "The most hand-offs a task's recorded chain keeps when tasks.captureStacks is on; older ones are cut off.");
    public static final Setting<Integer> STACKS_SAMPLING_INTERVAL = ofInt("stacks.samplingInterval", 128, 1, 1 << 20,
            "When stacks are SAMPLED, one occurrence in this many records its stack.");
    public static final Setting<Integer> STACKS_MAX_DEPTH = ofInt("stacks.maxDepth", 32, 1, 1024,
            "The most frames a recorded stack keeps.");
    public static final Setting<Boolean> OPERATIONS_ENABLED = ofBoolean("operations.enabled", true,
            "Whether operations are tracked; when false the work simply runs.");
    public static final Setting<Duration> OPERATIONS_WINDOW = ofDuration("operations.window", Duration.ofMinutes(1),
            Duration.ofMillis(60), "How far back the per-operation statistics (rate, mean, p50, p99, max) look.");
    public static final Setting<Integer> OPERATIONS_MAX_NAMES = ofInt("operations.maxNames", 1000, 1, 100_000,
            "How many operation names get their own statistics; later names share the name '(other)'.");
    public static final Setting<Duration> RESOURCES_LEAK_AGE = ofDuration("resources.leakAge", Duration.ofMinutes(10),
            Duration.ofMillis(1), "A resource still open after this long is reported as a suspected leak.");
    public static final Setting<Duration> LOCKS_BLOCKED_THRESHOLD = ofDuration("locks.blockedThreshold",
            Duration.ofSeconds(5), Duration.ofMillis(1), "A thread blocked on a lock for longer than this is reported.");
    public static final Setting<Duration> MONITOR_INTERVAL = ofDuration("monitor.interval", Duration.ofSeconds(1),
            Duration.ofMillis(10), "How often the background monitor looks for deadlocks, blocked threads, old resources and KPI breaches.");
    public static final Setting<Integer> HISTORY_SIZE = ofInt("history.size", 256, 1, 100_000,
            "How many recent violations, leaks, failures and alerts are kept.");
    public static final Setting<Integer> RECOVERY_MAX_ATTEMPTS = ofInt("recovery.maxAttempts", 3, 1, 1000,
            "Attempts per call, the first included, for policies that do not set their own.");
    public static final Setting<Duration> RECOVERY_INITIAL_BACKOFF = ofDuration("recovery.initialBackoff",
            Duration.ofMillis(100), Duration.ofMillis(1), "Wait before the first retry; later waits grow by recovery.backoffMultiplier.");
    public static final Setting<Double> RECOVERY_BACKOFF_MULTIPLIER = ofDouble("recovery.backoffMultiplier", 2.0, 1.0,
            1000.0, false, "Factor by which each wait between retries grows.");
    public static final Setting<Double> RECOVERY_JITTER = ofDouble("recovery.jitter", 0.5, 0.0, 1.0, true,
            "Random spread of each wait, as a fraction of it (0 for none, below 1).");
    public static final Setting<Duration> RECOVERY_MAX_BACKOFF = ofDuration("recovery.maxBackoff", Duration.ofSeconds(10),
            Duration.ofMillis(1), "Longest wait between two retries.");
    public static final Setting<Double> KPI_SCOPE_VIOLATION_RATE_MAX = ofDouble("kpi.scopeViolationRate.max", 0.001,
            0.0, 1.0, false, "Alert when more than this fraction of scopes are misused.");
    public static final Setting<Double> KPI_SESSION_SUCCESS_RATE_MIN = ofDouble("kpi.sessionSuccessRate.min", 0.99,
            0.0, 1.0, false, "Alert when fewer than this fraction of sessions end well.");
    public static final Setting<Duration> KPI_MEAN_OPERATION_DURATION_MAX = ofDuration("kpi.meanOperationDuration.max",
            Duration.ofSeconds(1), Duration.ofNanos(1), "Alert when operations take longer than this on average.");
    public static final Setting<Duration> KPI_RECOVERY_TIME_MAX = ofDuration("kpi.recoveryTime.max",
            Duration.ofSeconds(30), Duration.ofNanos(1), "Alert when the 99th percentile of error-recovery time is above this.");
    public static final Setting<String> KPI_SESSION_TYPE = ofText("kpi.sessionType", "session",
            "The resource type whose closes and failures make the session success rate.");
    public static final Setting<Duration> KPI_WINDOW = ofDuration("kpi.window", Duration.ofMinutes(1),
            Duration.ofMillis(10), "How far back the KPI rates look.");

    private final int index;
    private final String key;
    private final String description;
    private final T defaultValue;
    private final Function<String, T> reader;
    private final Predicate<T> valid;
    private final String expectation;
    private final Function<T, String> writer;

    private Setting(String key, T defaultValue, Function<String, T> reader, Predicate<T> valid, String expectation,
                    Function<T, String> writer, String description) {
        this.index = REGISTERED.size();
        this.key = key;
        this.defaultValue = defaultValue;
        this.reader = reader;
        this.valid = valid;
        this.expectation = expectation;
        this.writer = writer;
        this.description = description;
        REGISTERED.add(this);
    }

    /** Every setting, in a stable order. */
    public static List<Setting<?>> all() {
        return Collections.unmodifiableList(REGISTERED);
    }

    /** The setting with this key, or null. */
    public static Setting<?> byKey(String key) {
        for (Setting<?> setting : REGISTERED) {
            if (setting.key.equals(key)) {
                return setting;
            }
        }
        return null;
    }

    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    int index() {
        return index;
    }

    /** Reads the text of a value; the exception's message says, in one sentence, what is wrong. */
    public T parse(String text) {
        T value = text == null ? null : reader.apply(text.trim());
        if (value == null || !valid.test(value)) {
            throw new IllegalArgumentException("Setting '" + key + "' must be " + expectation + ", not '" + text + "'.");
        }
        return value;
    }

    /** Checks a value given in code, with the same message as {@link #parse}. */
    public T check(T value) {
        if (value == null || !valid.test(value)) {
            throw new IllegalArgumentException("Setting '" + key + "' must be " + expectation + ", not '" + value + "'.");
        }
        return value;
    }

    public String format(T value) {
        return writer.apply(value);
    }

    @SuppressWarnings("unchecked")
    String formatUnchecked(Object value) {
        return writer.apply((T) value);
    }

    @Override
    public String toString() {
        return key;
    }

    private static <E extends Enum<E>> Setting<E> ofEnum(String key, Class<E> type, E defaultValue, String description) {
        String names = Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
        return new Setting<>(key, defaultValue, text -> {
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException unknown) {
                return null;
            }
        }, value -> true, "one of " + names, Enum::name, description);
    }

    private static Setting<Integer> ofInt(String key, int defaultValue, int min, int max, String description) {
        return new Setting<>(key, defaultValue, text -> {
            try {
                return Integer.valueOf(text);
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }, value -> value >= min && value <= max, "a whole number from " + min + " to " + max, String::valueOf, description);
    }

    private static Setting<Double> ofDouble(String key, double defaultValue, double min, double max, boolean maxExcluded,
                                            String description) {
        return new Setting<>(key, defaultValue, text -> {
            try {
                return Double.valueOf(text);
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }, value -> value >= min && (maxExcluded ? value < max : value <= max),
                "a number from " + min + " to " + max + (maxExcluded ? " (excluded)" : ""), String::valueOf, description);
    }

    private static Setting<Boolean> ofBoolean(String key, boolean defaultValue, String description) {
        return new Setting<>(key, defaultValue, text -> {
            if (text.equalsIgnoreCase("true")) {
                return Boolean.TRUE;
            }
            return text.equalsIgnoreCase("false") ? Boolean.FALSE : null;
        }, value -> true, "true or false", String::valueOf, description);
    }

    private static Setting<Duration> ofDuration(String key, Duration defaultValue, Duration min, String description) {
        return new Setting<>(key, defaultValue, Durations::parse, value -> value.compareTo(min) >= 0,
                "a duration of at least " + Durations.format(min) + " such as 500ms, 5s, 2m or PT5S",
                Durations::format, description);
    }

    private static Setting<String> ofText(String key, String defaultValue, String description) {
        return new Setting<>(key, defaultValue, text -> text, value -> !value.isBlank(), "a non-empty text",
                value -> value, description);
    }
}
