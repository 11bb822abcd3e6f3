package dev.sonde.cli;

import dev.sonde.core.event.Event;
import dev.sonde.core.launch.DebugServer;
import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.fixtures.AsyncAfterAttach;
import dev.sonde.fixtures.Markers;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The target of the attach tests (console and DAP): the {@link AsyncAfterAttach} fixture started with JDWP and without
 * the Sonde agent, so that attaching is what loads the agent.
 */
public final class AsyncAfterAttachTarget {

    private AsyncAfterAttachTarget() {
    }

    /** The fixture's launch with {@code vmOptions} before it and {@code args} for its main. */
    public static JvmLaunchSpec spec(List<String> vmOptions, String... args) {
        List<String> javaArgs = new ArrayList<>(vmOptions);
        javaArgs.addAll(List.of("-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), AsyncAfterAttach.class.getName()));
        javaArgs.addAll(List.of(args));
        return JvmLaunchSpec.of(javaArgs);
    }

    /** Starts the fixture running (not held), its output dropped. */
    public static DebugServer start(ServerManager servers, List<String> vmOptions, String... args) {
        return start(servers, spec(vmOptions, args));
    }

    /** Starts {@code spec} (one of {@link #spec}, adjusted), its output dropped. */
    public static DebugServer start(ServerManager servers, JvmLaunchSpec spec) {
        return servers.start(spec, (category, text) -> { });
    }

    /** A session listener that completes {@code said} with the first {@code async stacks:} sentence the session prints. */
    public static Consumer<Event> asyncStacksSentence(CompletableFuture<String> said) {
        return event -> {
            if (event instanceof Event.Output output && output.text().startsWith("async stacks:")) {
                said.complete(output.text());
            }
        };
    }
}
