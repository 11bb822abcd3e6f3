package dev.sonde.runtime.settings;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.io.IOException;
import java.io.StringReader;
import java.lang.System.Logger;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * A settings file ({@code -Dsonde.runtime.config=FILE}): applied when the runtime starts and again, all or
 * nothing, whenever it changes. A broken edit is logged once and kept as {@link Status#lastError()}; the
 * settings in force stay as they were until a good edit.
 *
 * <p>Formats: {@code .properties} ({@code scopes.mode=STRICT}, keys may carry the {@code sonde.runtime.}
 * prefix); anything else is read as YAML 1.2, which JSON is part of. In YAML and JSON keys nest
 * ({@code scopes: {mode: STRICT}}) or are dotted, and a document with a {@code runtime:} section (a
 * {@code sonde.yaml}) is read from that section only.
 *
 * <p>Precedence: the {@code overrides} (the {@code -Dsonde.runtime.KEY} properties) win over the file. A key
 * removed from the file goes back to its default (or its override); keys the file never named keep whatever
 * code or JMX gave them.
 *
 * <p>Changes are found by polling the file's modification time, size and identity, not with a
 * {@code WatchService}: editors save by writing a new file and renaming it over the old one, which some
 * file systems never report to a watch.
 */
public final class SettingsFile {

    /** The system property naming the file. */
    public static final String SYSTEM_PROPERTY = RuntimeSettings.SYSTEM_PROPERTY_PREFIX + "config";

    private static final Logger LOG = System.getLogger(SettingsFile.class.getName());

    /**
     * @param path         the file, as given
     * @param lastReloadAt when the file was last applied, or null when it never was
     * @param lastError    why the newest content was not applied, or null when it was
     */
    public record Status(Path path, Instant lastReloadAt, String lastError) {
    }

    /** What identifies one version of the file; {@code MISSING} when there is no file. */
    private record Stamp(FileTime modified, long size, Object fileKey) {
        static final Stamp MISSING = new Stamp(null, -1, null);
    }

    private final Path path;
    private final RuntimeSettings settings;
    private final Map<String, String> overrides;
    private Stamp seen;
    private Set<Setting<?>> keysFromFile = Set.of();
    private volatile Status status;

    /**
     * Watches nothing by itself: call {@link #check()} to apply the file (the runtime does so at start and then
     * every second on its monitor thread).
     *
     * @param overrides setting keys to values that win over the file's
     */
    public SettingsFile(Path path, RuntimeSettings settings, Map<String, String> overrides) {
        this.path = Objects.requireNonNull(path, "path");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.overrides = Map.copyOf(overrides);
        this.status = new Status(path, null, null);
    }

    public Path path() {
        return path;
    }

    public Status status() {
        return status;
    }

    /**
     * Applies the file if it changed since the last call (the first call always reads it).
     *
     * @return true when the file was read, whether or not its content was good
     */
    public synchronized boolean check() {
        Stamp now = stamp();
        if (now.equals(seen)) {
            return false;
        }
        seen = now;
        try {
            Map<String, String> fromFile = read(path);
            Map<Setting<?>, Object> parsed = RuntimeSettings.parse(fromFile);
            Map<String, String> values = new LinkedHashMap<>();
            for (Setting<?> removed : keysFromFile) {
                values.put(removed.key(), removed.formatUnchecked(removed.defaultValue()));
            }
            parsed.forEach((setting, value) -> values.put(setting.key(), setting.formatUnchecked(value)));
            values.replaceAll((key, value) -> overrides.getOrDefault(key, value));
            settings.apply(values);
            keysFromFile = Set.copyOf(parsed.keySet());
            status = new Status(path, Instant.now(), null);
            LOG.log(Logger.Level.INFO, "Sonde runtime settings applied from " + path + ".");
        } catch (IllegalArgumentException broken) {
            String message = broken.getMessage().startsWith("Settings file ") ? broken.getMessage()
                    : "Settings file " + path + ": " + broken.getMessage();
            status = new Status(path, status.lastReloadAt(), message);
            LOG.log(Logger.Level.WARNING, message + " The settings in force stay as they were.");
        }
        return true;
    }

    /**
     * The settings a file names, as dotted keys to text, checked for form but not for values.
     *
     * @throws IllegalArgumentException in one sentence saying what is wrong and where
     */
    public static Map<String, String> read(Path file) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException gone) {
            throw new IllegalArgumentException("Settings file " + file + " does not exist; create it or correct -D"
                    + SYSTEM_PROPERTY + ".");
        } catch (IOException | RuntimeException unreadable) {
            throw new IllegalArgumentException("Settings file " + file + " cannot be read (" + unreadable.getMessage()
                    + "); check that it is a UTF-8 text file the service may read.");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".properties") ? readProperties(file, text) : readYaml(file, text);
    }

    private static Map<String, String> readProperties(Path file, String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException | IllegalArgumentException malformed) {
            throw new IllegalArgumentException("Settings file " + file + " is not valid properties text ("
                    + malformed.getMessage() + "); fix its syntax.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : properties.stringPropertyNames()) {
            String key = name.startsWith(RuntimeSettings.SYSTEM_PROPERTY_PREFIX)
                    ? name.substring(RuntimeSettings.SYSTEM_PROPERTY_PREFIX.length()) : name;
            values.put(key, properties.getProperty(name));
        }
        return values;
    }

    private static Map<String, String> readYaml(Path file, String text) {
        Object document;
        try {
            Load load = new Load(LoadSettings.builder().setLabel(file.toString()).setSchema(new CoreSchema())
                    .setAllowDuplicateKeys(false).build());
            document = load.loadFromString(text);
        } catch (MarkedYamlEngineException malformed) {
            String line = malformed.getProblemMark().map(mark -> ", line " + (mark.getLine() + 1)).orElse("");
            throw new IllegalArgumentException("Settings file " + file + line + " is not valid YAML or JSON ("
                    + malformed.getProblem() + "); fix its syntax.");
        } catch (YamlEngineException malformed) {
            throw new IllegalArgumentException("Settings file " + file + " is not valid YAML or JSON ("
                    + firstLine(malformed.getMessage()) + "); fix its syntax.");
        }
        if (document == null) {
            return Map.of();
        }
        if (!(document instanceof Map<?, ?> top)) {
            throw new IllegalArgumentException("Settings file " + file + " must map setting keys to values, "
                    + "like 'scopes: {mode: STRICT}', not hold a single " + describe(document) + ".");
        }
        Object section = top.containsKey("runtime") ? top.get("runtime") : top;
        if (section == null) {
            return Map.of();
        }
        if (!(section instanceof Map<?, ?> runtime)) {
            throw new IllegalArgumentException("Settings file " + file + ": the 'runtime' section must map setting keys "
                    + "to values, like 'runtime: {scopes: {mode: STRICT}}'.");
        }
        Map<String, String> values = new LinkedHashMap<>();
        flatten(file, "", runtime, values);
        return values;
    }

    private static void flatten(Path file, String prefix, Map<?, ?> section, Map<String, String> into) {
        for (Map.Entry<?, ?> entry : section.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(file, key + ".", nested, into);
            } else if (value == null) {
                throw new IllegalArgumentException("Settings file " + file + ": setting '" + key
                        + "' has no value; give it one or remove it.");
            } else if (value instanceof List<?> || value instanceof byte[]) {
                throw new IllegalArgumentException("Settings file " + file + ": setting '" + key + "' holds a "
                        + describe(value) + "; give it a single value.");
            } else {
                into.put(key, String.valueOf(value));
            }
        }
    }

    private static String describe(Object value) {
        if (value instanceof List<?>) {
            return "list";
        }
        return value instanceof String ? "text" : value.getClass().getSimpleName().toLowerCase(Locale.ROOT);
    }

    private static String firstLine(String message) {
        return message == null ? "unreadable content" : message.lines().findFirst().orElse(message).strip();
    }

    private Stamp stamp() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            return new Stamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException gone) {
            return Stamp.MISSING;
        }
    }
}
