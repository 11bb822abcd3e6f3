package dev.sonde.dap.server.access;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.sonde.core.error.SondeException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The secret a {@code launch} or {@code attach} request must carry as {@code "sondeToken"} when the adapter listens on a
 * TCP port: anything on the machine can open the port (a web page in a browser, too), but only whoever read the token
 * can make the adapter run a program.
 */
public final class LaunchToken {

    /** The launch configuration's key that carries the token. */
    public static final String KEY = "sondeToken";
    private static final SecureRandom RANDOM = new SecureRandom();

    private LaunchToken() {
    }

    /** A new random token: 128 bits, in hex. */
    public static String generate() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** Fails the request unless its arguments carry {@code expected}; a null {@code expected} takes every request. */
    public static void require(String expected, String command, JsonObject arguments) {
        if (expected == null) {
            return;
        }
        JsonElement given = arguments.get(KEY);
        if (!(given instanceof JsonPrimitive primitive && primitive.isString())) {
            throw SondeException.invalidInput("This adapter takes a '" + command + "' only with the token sonde dap printed when it"
                    + " started; add \"" + KEY + "\": \"<that token>\" to the debug configuration.");
        }
        if (!MessageDigest.isEqual(primitive.getAsString().getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8))) {
            throw SondeException.invalidInput("The '" + KEY + "' of this '" + command + "' is not the token sonde dap printed when it"
                    + " started; copy that one into the debug configuration.");
        }
    }
}
