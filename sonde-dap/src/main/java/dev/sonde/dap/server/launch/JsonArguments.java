package dev.sonde.dap.server.launch;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sonde.core.error.SondeException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the free-form arguments of a launch or attach request (whatever the client's configuration holds),
 * with a one-sentence error naming the argument that is wrong. Arguments it is not asked for are ignored.
 */
final class JsonArguments {

    private final String command;
    private final JsonObject json;

    JsonArguments(String command, JsonObject json) {
        this.command = command;
        this.json = json;
    }

    String string(String name) {
        JsonElement value = json.get(name);
        if (absent(value)) {
            return null;
        }
        if (value instanceof JsonPrimitive primitive && primitive.isString()) {
            return primitive.getAsString();
        }
        throw wrong(name, "a string", value);
    }

    String requiredString(String name) {
        String value = string(name);
        if (value == null || value.isBlank()) {
            throw SondeException.invalidInput("The '" + command + "' request needs the '" + name
                    + "' argument; add it to the debug configuration.");
        }
        return value;
    }

    boolean bool(String name, boolean otherwise) {
        JsonElement value = json.get(name);
        if (absent(value)) {
            return otherwise;
        }
        if (value instanceof JsonPrimitive primitive && primitive.isBoolean()) {
            return primitive.getAsBoolean();
        }
        throw wrong(name, "true or false", value);
    }

    Long number(String name) {
        JsonElement value = json.get(name);
        if (absent(value)) {
            return null;
        }
        if (value instanceof JsonPrimitive primitive && primitive.isNumber()) {
            try {
                // Exact, so a number past long range or with a fraction is an error, not a wrapped or cut number.
                return primitive.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException | NumberFormatException notWhole) {
                throw wrong(name, "a whole number", value);
            }
        }
        if (value instanceof JsonPrimitive primitive && primitive.isString() && primitive.getAsString().strip().matches("\\d{1,18}")) {
            return Long.parseLong(primitive.getAsString().strip());
        }
        throw wrong(name, "a number", value);
    }

    /** A list of strings; absent means empty. */
    List<String> strings(String name) {
        JsonElement value = json.get(name);
        if (absent(value)) {
            return List.of();
        }
        if (!(value instanceof JsonArray array)) {
            throw wrong(name, "a list of strings", value);
        }
        List<String> strings = new ArrayList<>(array.size());
        for (JsonElement element : array) {
            if (!(element instanceof JsonPrimitive primitive && primitive.isString())) {
                throw wrong(name, "a list of strings", value);
            }
            strings.add(primitive.getAsString());
        }
        return strings;
    }

    /** Command-line words: a list of strings, or one string split as a shell would (quotes group words). */
    List<String> words(String name) {
        JsonElement value = json.get(name);
        if (value instanceof JsonPrimitive primitive && primitive.isString()) {
            return CommandLineWords.split(primitive.getAsString());
        }
        return strings(name);
    }

    /** A map of strings to strings; absent means empty. */
    Map<String, String> stringMap(String name) {
        JsonElement value = json.get(name);
        if (absent(value)) {
            return Map.of();
        }
        if (!(value instanceof JsonObject object)) {
            throw wrong(name, "an object of names to strings", value);
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
            if (!(entry.getValue() instanceof JsonPrimitive primitive)) {
                throw wrong(name, "an object of names to strings", value);
            }
            map.put(entry.getKey(), primitive.getAsString());
        }
        return map;
    }

    private static boolean absent(JsonElement value) {
        return value == null || value.isJsonNull();
    }

    private SondeException wrong(String name, String what, JsonElement value) {
        String shown = value.toString();
        if (shown.length() > 60) {
            shown = shown.substring(0, 57) + "...";
        }
        return SondeException.invalidInput("The '" + command + "' argument '" + name + "' must be " + what + ", not " + shown
                + "; fix it in the debug configuration.");
    }
}
