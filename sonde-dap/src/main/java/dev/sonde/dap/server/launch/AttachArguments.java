package dev.sonde.dap.server.launch;

import com.google.gson.JsonObject;
import dev.sonde.core.error.SondeException;
import dev.sonde.core.launch.BindPolicy;
import dev.sonde.core.launch.HostPort;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The arguments of an {@code attach} request.
 *
 * @param address     {@code hostName} (default 127.0.0.1) and {@code port} of the JVM's debug agent
 * @param timeout     {@code timeout} in milliseconds: how long to keep trying while nothing listens; null for the default
 * @param sourcePaths source roots, for mapping source files to classes and back
 * @param classPaths  optional: the program's output directories, watched for hot code replace
 */
public record AttachArguments(HostPort address, Duration timeout, List<Path> sourcePaths, List<Path> classPaths) {

    public AttachArguments {
        sourcePaths = List.copyOf(sourcePaths);
        classPaths = List.copyOf(classPaths);
    }

    static AttachArguments read(String command, JsonObject json) {
        JsonArguments arguments = new JsonArguments(command, json);
        Long port = arguments.number("port");
        if (port == null || port < 1 || port > 65535) {
            throw SondeException.invalidInput("The '" + command + "' request needs the 'port' argument, 1-65535, where the JVM's"
                    + " debug agent listens; add it to the debug configuration.");
        }
        String host = arguments.string("hostName");
        Long timeoutMillis = arguments.number("timeout");
        return new AttachArguments(new HostPort(host == null || host.isBlank() ? BindPolicy.LOOPBACK : host.strip(), port.intValue()),
                timeoutMillis == null ? null : Duration.ofMillis(timeoutMillis),
                arguments.strings("sourcePaths").stream().map(Path::of).toList(),
                arguments.strings("classPaths").stream().map(Path::of).toList());
    }
}
