package dev.sonde.runtime.settings;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** The value of every {@link Setting} at one moment. Immutable: a change makes a new one. */
public final class Settings {

    private static final Settings DEFAULTS = new Settings(Setting.all().stream().map(Setting::defaultValue).toArray());

    private final Object[] values;

    private Settings(Object[] values) {
        this.values = values;
    }

    public static Settings defaults() {
        return DEFAULTS;
    }

    @SuppressWarnings("unchecked")
    public <T> T get(Setting<T> setting) {
        return (T) values[setting.index()];
    }

    /** Every key with its value as text, in {@link Setting#all()} order. */
    public Map<String, String> asText() {
        Map<String, String> text = new LinkedHashMap<>();
        for (Setting<?> setting : Setting.all()) {
            text.put(setting.key(), setting.formatUnchecked(values[setting.index()]));
        }
        return text;
    }

    /** A copy with the given values changed; the values are already checked. */
    Settings with(Map<Setting<?>, Object> changes) {
        Object[] changed = Arrays.copyOf(values, values.length);
        changes.forEach((setting, value) -> changed[setting.index()] = value);
        Settings result = new Settings(changed);
        result.checkConsistent();
        return result;
    }

    /** Rules that tie two settings together. */
    private void checkConsistent() {
        if (get(Setting.RECOVERY_MAX_BACKOFF).compareTo(get(Setting.RECOVERY_INITIAL_BACKOFF)) < 0) {
            throw new IllegalArgumentException("Setting 'recovery.maxBackoff' (" + Setting.RECOVERY_MAX_BACKOFF.format(get(Setting.RECOVERY_MAX_BACKOFF))
                    + ") must not be shorter than 'recovery.initialBackoff' (" + Setting.RECOVERY_INITIAL_BACKOFF.format(get(Setting.RECOVERY_INITIAL_BACKOFF)) + ").");
        }
    }

    @Override
    public String toString() {
        return asText().toString();
    }
}
