package dev.sonde.runtime.settings;

import java.io.IOException;
import java.io.StringReader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The runtime's settings, in one place: read from system properties or code at start, changed while
 * the service runs (by code or through the Settings MBean). A change is all-or-nothing: when any value
 * is invalid, nothing changes and the error says which value and why.
 */
public final class RuntimeSettings {

    /** Prefix of the system properties that set the runtime's settings. */
    public static final String SYSTEM_PROPERTY_PREFIX = "sonde.runtime.";

    private final List<Consumer<Settings>> listeners = new CopyOnWriteArrayList<>();
    private volatile Settings current;

    private RuntimeSettings(Settings initial) {
        this.current = initial;
    }

    public static RuntimeSettings defaults() {
        return new RuntimeSettings(Settings.defaults());
    }

    /**
     * Settings from the {@code sonde.runtime.*} entries of the given properties (usually
     * {@link System#getProperties()}).
     *
     * @throws IllegalArgumentException naming the first invalid or unknown entry
     */
    public static RuntimeSettings fromProperties(Properties properties) {
        RuntimeSettings settings = defaults();
        settings.apply(settingsIn(properties));
        return settings;
    }

    /**
     * The {@code sonde.runtime.*} entries of the given properties, without the prefix; {@code sonde.runtime.config}
     * names a {@link SettingsFile} and is not a setting.
     */
    public static Map<String, String> settingsIn(Properties properties) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(SYSTEM_PROPERTY_PREFIX) && !name.equals(SettingsFile.SYSTEM_PROPERTY)) {
                values.put(name.substring(SYSTEM_PROPERTY_PREFIX.length()), properties.getProperty(name));
            }
        }
        return values;
    }

    public Settings current() {
        return current;
    }

    public <T> T get(Setting<T> setting) {
        return current.get(setting);
    }

    /** Sets one value from its text, e.g. {@code set("scopes.mode", "STRICT")}. */
    public void set(String key, String value) {
        apply(Map.of(key, value));
    }

    /** Sets one value from code. */
    public <T> void set(Setting<T> setting, T value) {
        change(Map.of(setting, setting.check(value)));
    }

    /** Sets several values from their text, all or none. */
    public void apply(Map<String, String> values) {
        change(parse(values));
    }

    /** Reads every value, changing nothing; the exception names the first unknown key or invalid value. */
    static Map<Setting<?>, Object> parse(Map<String, String> values) {
        Map<Setting<?>, Object> parsed = new LinkedHashMap<>();
        values.forEach((key, text) -> {
            Setting<?> setting = Setting.byKey(key == null ? "" : key.trim());
            if (setting == null) {
                throw new IllegalArgumentException("Unknown setting '" + key + "'; the settings are "
                        + Setting.all().stream().map(Setting::key).collect(Collectors.joining(", ")) + ".");
            }
            parsed.put(setting, setting.parse(text));
        });
        return parsed;
    }

    /**
     * Sets values given as properties text, one {@code key=value} a line; {@code #} starts a comment
     * and keys may carry the {@code sonde.runtime.} prefix.
     */
    public void applyText(String propertiesText) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(propertiesText));
        } catch (IOException | IllegalArgumentException malformed) {
            throw new IllegalArgumentException("The settings text is not valid properties text (" + malformed.getMessage() + ").");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.startsWith(SYSTEM_PROPERTY_PREFIX) ? name.substring(SYSTEM_PROPERTY_PREFIX.length()) : name;
            values.put(key, properties.getProperty(name));
        }
        apply(values);
    }

    /** Puts every setting back to its default. */
    public void reset() {
        Map<Setting<?>, Object> defaults = new LinkedHashMap<>();
        for (Setting<?> setting : Setting.all()) {
            defaults.put(setting, setting.defaultValue());
        }
        change(defaults);
    }

    /** Calls the listener with the new settings after every change. */
    public void onChange(Consumer<Settings> listener) {
        listeners.add(listener);
    }

    /** Listeners run under the lock so that they see changes in the order they were made. */
    private synchronized void change(Map<Setting<?>, Object> changes) {
        Settings updated = current.with(changes);
        current = updated;
        for (Consumer<Settings> listener : listeners) {
            listener.accept(updated);
        }
    }
}
