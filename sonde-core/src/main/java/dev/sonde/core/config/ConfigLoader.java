package dev.sonde.core.config;

import dev.sonde.core.agent.ProbeRoute;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.sonde.core.error.SondeException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Loads {@link SondeConfig}: defaults, then a {@code sonde.yaml}/{@code sonde.yml}/{@code sonde.json} from the
 * working directory (or the file given), then {@code SONDE_*} environment variables, then flags. A broken file
 * is reported with its name, line and key, and nothing half-loaded is ever used.
 */
public final class ConfigLoader {

    /** Names looked for in the working directory, in order. */
    public static final List<String> FILE_NAMES = List.of("sonde.yaml", "sonde.yml", "sonde.json");
    /** Environment variable naming a config file, used when no file is given on the command line. */
    public static final String CONFIG_VARIABLE = "SONDE_CONFIG";

    private static final ObjectMapper YAML = configure(new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)));
    private static final ObjectMapper JSON = configure(new ObjectMapper());

    private ConfigLoader() {
    }

    /**
     * The configuration in force, and where each setting came from.
     *
     * @param file the config file read, or null
     */
    public record Loaded(SondeConfig config, Path file, Map<String, ConfigSource> sources, ObjectNode tree) {

        /** A flag overrides a setting: {@code key} is dotted ({@code attach.timeout}), {@code value} as typed. */
        public Loaded override(String key, String value, String flag) {
            ObjectNode copy = tree.deepCopy();
            JsonNode current = at(copy, key);
            if (current == null) {
                throw new IllegalArgumentException("unknown config key " + key);
            }
            set(copy, key, convert(current, value, () -> "Flag " + flag + " value '" + value + "'"));
            Map<String, ConfigSource> nextSources = new LinkedHashMap<>(sources);
            nextSources.put(key, new ConfigSource.Flag(flag));
            return new Loaded(toConfig(copy, "flag " + flag), file, nextSources, copy);
        }

        /** The configuration as YAML, each key annotated with its source. */
        public String describe() {
            StringBuilder out = new StringBuilder();
            describe(tree, "", 0, out);
            return out.toString();
        }

        private void describe(JsonNode node, String prefix, int indent, StringBuilder out) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
                out.append("  ".repeat(indent)).append(field.getKey()).append(':');
                if (field.getValue().isObject()) {
                    out.append('\n');
                    describe(field.getValue(), key, indent + 1, out);
                } else {
                    out.append(' ').append(render(field.getValue()));
                    ConfigSource source = sources.getOrDefault(key, new ConfigSource.Default());
                    out.append("   # ").append(source.describe()).append('\n');
                }
            }
        }

        private static String render(JsonNode value) {
            if (value.isArray()) {
                List<String> items = new ArrayList<>();
                // A JMX target shows its URL only: its credentials are never printed.
                value.forEach(v -> items.add(v.isObject() ? v.path("url").asText() : v.asText()));
                return "[" + String.join(", ", items) + "]";
            }
            if (value.isTextual() && value.asText().isEmpty()) {
                return "\"\"";
            }
            return value.asText();
        }
    }

    /** Loads from the working directory and the process environment. */
    public static Loaded load(Path explicitFile) {
        return load(explicitFile, Path.of("").toAbsolutePath(), System.getenv());
    }

    public static Loaded load(Path explicitFile, Path workingDirectory, Map<String, String> environment) {
        ObjectNode tree = YAML.valueToTree(SondeConfig.DEFAULTS);
        Map<String, ConfigSource> sources = new LinkedHashMap<>();
        Path file = findFile(explicitFile, workingDirectory, environment);
        if (file != null) {
            ObjectNode fromFile = readFile(file);
            boolean named = explicitFile != null || environment.get(CONFIG_VARIABLE) != null && !environment.get(CONFIG_VARIABLE).isBlank();
            merge(tree, fromFile, "", new ConfigSource.File(file, !named), sources);
        }
        applyEnvironment(tree, "", environment, sources);
        SondeConfig config = toConfig(tree, file == null ? "the environment" : file + " or the environment");
        return new Loaded(config, file, sources, tree);
    }

    /**
     * The files {@link #load} would read, for a {@link ConfigWatcher}: the file given or named by {@code SONDE_CONFIG},
     * else every name of {@link #FILE_NAMES} in the working directory (one may be created later).
     */
    public static List<Path> watchedFiles(Path explicitFile, Path workingDirectory, Map<String, String> environment) {
        Path chosen = explicitFile;
        if (chosen == null && environment.get(CONFIG_VARIABLE) != null && !environment.get(CONFIG_VARIABLE).isBlank()) {
            chosen = Path.of(environment.get(CONFIG_VARIABLE));
        }
        if (chosen != null) {
            return List.of(workingDirectory.resolve(chosen));
        }
        return FILE_NAMES.stream().map(workingDirectory::resolve).toList();
    }

    /** {@link #watchedFiles(Path, Path, Map)} for this process's working directory and environment. */
    public static List<Path> watchedFiles(Path explicitFile) {
        return watchedFiles(explicitFile, Path.of("").toAbsolutePath(), System.getenv());
    }

    private static Path findFile(Path explicitFile, Path workingDirectory, Map<String, String> environment) {
        Path chosen = explicitFile;
        String flagName = "--config";
        if (chosen == null && environment.get(CONFIG_VARIABLE) != null && !environment.get(CONFIG_VARIABLE).isBlank()) {
            chosen = Path.of(environment.get(CONFIG_VARIABLE));
            flagName = CONFIG_VARIABLE;
        }
        if (chosen != null) {
            Path resolved = workingDirectory.resolve(chosen);
            if (!Files.isRegularFile(resolved)) {
                throw SondeException.invalidInput("Config file " + chosen + " (from " + flagName + ") does not exist; check the path.");
            }
            return resolved;
        }
        for (String name : FILE_NAMES) {
            Path candidate = workingDirectory.resolve(name);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private static ObjectNode readFile(Path file) {
        ObjectMapper mapper = file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json") ? JSON : YAML;
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw SondeException.invalidInput("Cannot read config file " + file + " (" + e.getMessage() + "); check its permissions.");
        }
        if (text.isBlank()) {
            return JsonNodeFactory.instance.objectNode();
        }
        try {
            // Binding to the typed records checks key names and value types, with the line of any mistake.
            mapper.readValue(text, SondeConfig.class);
            JsonNode tree = mapper.readTree(text);
            if (tree == null || tree.isMissingNode() || tree.isNull()) {
                return JsonNodeFactory.instance.objectNode();
            }
            return (ObjectNode) tree;
        } catch (JsonProcessingException e) {
            throw fileError(file, e);
        }
    }

    private static SondeException fileError(Path file, JsonProcessingException e) {
        JsonLocation location = e.getLocation();
        String where = file + (location != null && location.getLineNr() > 0 ? ", line " + location.getLineNr() : "");
        if (e instanceof UnrecognizedPropertyException unknown) {
            String section = path(unknown);
            section = section.contains(".") ? section.substring(0, section.lastIndexOf('.')) : "";
            String known = unknown.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
            return SondeException.invalidInput(where + ": unknown key '" + path(unknown) + "'"
                    + (known.isEmpty() ? "" : "; known keys" + (section.isEmpty() ? "" : " under " + section) + ": " + known) + ".");
        }
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            String detail = e instanceof InvalidFormatException invalid
                    ? "cannot read '" + invalid.getValue() + "' as " + article(invalid.getTargetType())
                    : e instanceof MismatchedInputException mismatched && mismatched.getTargetType() != null
                    ? "expected " + article(mismatched.getTargetType())
                    : firstLine(e.getOriginalMessage());
            return SondeException.invalidInput(where + ", key '" + path(mapping) + "': " + detail + "; fix the value.");
        }
        return SondeException.invalidInput(where + ": " + firstLine(e.getOriginalMessage()) + "; fix the file's syntax.");
    }

    private static String article(Class<?> type) {
        if (type == Duration.class) {
            return "a duration (like 10s)";
        }
        if (type == int.class || type == Integer.class) {
            return "a whole number";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == String.class) {
            return "a string";
        }
        return "a " + type.getSimpleName().toLowerCase(Locale.ROOT) + " section";
    }

    private static String path(JsonMappingException e) {
        return e.getPath().stream()
                .map(reference -> reference.getFieldName() != null ? reference.getFieldName() : "[" + reference.getIndex() + "]")
                .collect(Collectors.joining(".")).replace(".[", "[");
    }

    private static String firstLine(String message) {
        return message == null ? "invalid content" : message.lines().findFirst().orElse(message).strip();
    }

    private static void merge(ObjectNode target, ObjectNode overlay, String prefix, ConfigSource source, Map<String, ConfigSource> sources) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing == null && field.getValue() instanceof ObjectNode) {
                existing = target.putObject(field.getKey());
            }
            if (existing instanceof ObjectNode section && field.getValue() instanceof ObjectNode overlaySection) {
                merge(section, overlaySection, key, source, sources);
            } else if (!field.getValue().isNull()) {
                target.set(field.getKey(), field.getValue());
                sources.put(key, source);
            }
        }
    }

    /** {@code SONDE_ATTACH_TIMEOUT} sets {@code attach.timeout}; {@code SONDE_VALUES_MAX_ELEMENTS} sets {@code values.maxElements}. */
    private static void applyEnvironment(ObjectNode node, String prefix, Map<String, String> environment, Map<String, ConfigSource> sources) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        List<Map.Entry<String, JsonNode>> updates = new ArrayList<>();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            if (field.getValue() instanceof ObjectNode section) {
                applyEnvironment(section, key, environment, sources);
                continue;
            }
            String variable = environmentName(key);
            String value = environment.get(variable);
            if (value != null) {
                updates.add(Map.entry(field.getKey(), convert(field.getValue(), value,
                        () -> "Environment variable " + variable + "='" + value + "'")));
                sources.put(key, new ConfigSource.Environment(variable));
            }
        }
        updates.forEach(u -> node.set(u.getKey(), u.getValue()));
    }

    /** The environment variable for a dotted key. */
    public static String environmentName(String key) {
        StringBuilder name = new StringBuilder("SONDE_");
        for (char c : key.toCharArray()) {
            if (c == '.') {
                name.append('_');
            } else if (Character.isUpperCase(c)) {
                name.append('_').append(c);
            } else {
                name.append(Character.toUpperCase(c));
            }
        }
        return name.toString();
    }

    /** Converts text to the JSON type of the setting it replaces, or fails naming the source. */
    private static JsonNode convert(JsonNode current, String value, java.util.function.Supplier<String> source) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        String text = value.strip();
        if (current.isBoolean()) {
            return switch (text.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "on", "1" -> nodes.booleanNode(true);
                case "false", "no", "off", "0" -> nodes.booleanNode(false);
                default -> throw SondeException.invalidInput(source.get() + " is not true or false; set it to true or false.");
            };
        }
        if (current.isIntegralNumber()) {
            try {
                return nodes.numberNode(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                throw SondeException.invalidInput(source.get() + " is not a whole number; set it to one.");
            }
        }
        if (current.isFloatingPointNumber()) {
            try {
                return nodes.numberNode(Double.parseDouble(text));
            } catch (NumberFormatException e) {
                throw SondeException.invalidInput(source.get() + " is not a number; set it to one, like 0.8.");
            }
        }
        if (current.isArray()) {
            ArrayNode list = nodes.arrayNode();
            for (String item : text.split(",")) {
                if (!item.isBlank()) {
                    list.add(item.strip());
                }
            }
            return list;
        }
        if (looksLikeDuration(current)) {
            try {
                DurationText.parse(text);
            } catch (SondeException e) {
                throw SondeException.invalidInput(source.get() + " is not a duration; write it like 500ms, 10s or 2m.");
            }
        }
        return nodes.textNode(text);
    }

    private static boolean looksLikeDuration(JsonNode current) {
        if (!current.isTextual()) {
            return false;
        }
        try {
            DurationText.parse(current.asText());
            return !current.asText().isEmpty() && Character.isDigit(current.asText().charAt(0));
        } catch (SondeException e) {
            return false;
        }
    }

    private static SondeConfig toConfig(ObjectNode tree, String origin) {
        SondeConfig config;
        try {
            config = YAML.treeToValue(tree, SondeConfig.class);
        } catch (JsonProcessingException e) {
            String key = e instanceof JsonMappingException m ? path(m) : "?";
            throw SondeException.invalidInput("Setting '" + key + "' from " + origin + " is invalid (" + firstLine(e.getOriginalMessage()) + "); fix it.");
        }
        validate(config);
        return config;
    }

    private static void validate(SondeConfig config) {
        int port = config.server().port();
        if (port < 0 || port > 65535) {
            throw SondeException.invalidInput("server.port is " + port + "; use 0 (any free port) or 1-65535.");
        }
        if (config.values().maxElements() < 1 || config.values().maxStringLength() < 1) {
            throw SondeException.invalidInput("values.maxElements and values.maxStringLength must be at least 1.");
        }
        if (!List.of("stop", "ignore").contains(config.breakpoints().conditionErrors())) {
            throw SondeException.invalidInput("breakpoints.conditionErrors is '" + config.breakpoints().conditionErrors()
                    + "'; use stop or ignore.");
        }
        ProbeRoute.parse(config.probes().mode());
        if (config.snapshots().frames() < 0 || config.snapshots().depth() < 0) {
            throw SondeException.invalidInput("snapshots.frames and snapshots.depth cannot be negative.");
        }
        validate(config.dashboard());
        for (Duration timeout : List.of(config.attach().timeout(), config.session().requestTimeout(), config.console().waitTimeout(),
                config.eval().invokeTimeout())) {
            if (timeout.isNegative() || timeout.isZero()) {
                throw SondeException.invalidInput("Timeouts must be positive, not " + DurationText.format(timeout) + "; use a value like 10s.");
            }
        }
    }

    private static void validate(SondeConfig.Dashboard dashboard) {
        for (Map.Entry<String, Duration> period : List.of(Map.entry("interval", dashboard.interval()),
                Map.entry("rescan", dashboard.rescan()), Map.entry("history", dashboard.history()))) {
            if (period.getValue().isNegative() || period.getValue().isZero()) {
                throw SondeException.invalidInput("dashboard." + period.getKey() + " must be positive, not "
                        + DurationText.format(period.getValue()) + "; use a value like " + (period.getKey().equals("history") ? "15m." : "1s."));
            }
        }
        if (dashboard.port() < 0 || dashboard.port() > 65535) {
            throw SondeException.invalidInput("dashboard.port is " + dashboard.port() + "; use 0 (any free port) or 1-65535.");
        }
        if (!(dashboard.amberAt() > 0 && dashboard.amberAt() <= 1)) {
            throw SondeException.invalidInput("dashboard.amberAt is " + dashboard.amberAt()
                    + "; use a fraction of a KPI's threshold above 0 and at most 1, like 0.8.");
        }
        for (SondeConfig.JmxTarget target : dashboard.jmx()) {
            if (target == null || target.url() == null || !target.url().startsWith("service:jmx:")) {
                throw SondeException.invalidInput("dashboard.jmx has '" + (target == null ? null : target.url())
                        + "', which is not a JMX URL; write it like service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi.");
            }
            if ((target.username() == null) != (target.password() == null)) {
                throw SondeException.invalidInput("dashboard.jmx target " + target.url()
                        + " has a username or a password but not both; give both or neither.");
            }
        }
    }

    private static JsonNode at(ObjectNode tree, String dotted) {
        JsonNode node = tree;
        for (String part : dotted.split("\\.")) {
            node = node == null ? null : node.get(part);
        }
        return node;
    }

    private static void set(ObjectNode tree, String dotted, JsonNode value) {
        String[] parts = dotted.split("\\.");
        ObjectNode node = tree;
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], value);
    }

    private static ObjectMapper configure(ObjectMapper mapper) {
        SimpleModule durations = new SimpleModule("sonde-durations");
        durations.addDeserializer(Duration.class, new JsonDeserializer<>() {
            @Override
            public Duration deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                String text = parser.getValueAsString();
                if (text == null) {
                    return (Duration) context.handleUnexpectedToken(Duration.class, parser);
                }
                try {
                    return DurationText.parse(text);
                } catch (SondeException e) {
                    throw InvalidFormatException.from(parser, "not a duration", text, Duration.class);
                }
            }
        });
        durations.addSerializer(Duration.class, new JsonSerializer<>() {
            @Override
            public void serialize(Duration value, JsonGenerator generator, SerializerProvider provider) throws IOException {
                generator.writeString(DurationText.format(value));
            }
        });
        return mapper.registerModule(durations)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
