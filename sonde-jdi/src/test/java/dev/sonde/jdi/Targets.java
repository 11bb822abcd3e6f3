package dev.sonde.jdi;

import dev.sonde.core.launch.JvmLaunchSpec;
import dev.sonde.core.launch.ServerManager;
import dev.sonde.core.session.Session;
import dev.sonde.core.session.SessionOptions;
import dev.sonde.fixtures.Markers;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Starts fixture programs under the debugger for tests. */
final class Targets {

    static final Duration WAIT = Duration.ofSeconds(20);

    private Targets() {
    }

    /** The java arguments that run a fixture's main class with the given program arguments. */
    static List<String> javaArgs(Class<?> mainClass, String... args) {
        List<String> javaArgs = new ArrayList<>(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp",
                Markers.classPath().toString(), mainClass.getName()));
        javaArgs.addAll(List.of(args));
        return javaArgs;
    }

    /** Launches a fixture held before main and returns a connected session that ends the JVM on close. */
    static Session launch(ServerManager servers, Class<?> mainClass, String... args) {
        return Session.connect(mainClass.getSimpleName(),
                JdiConnector.launch(JvmLaunchSpec.of(javaArgs(mainClass, args)), servers, JdiOptions.DEFAULT),
                SessionOptions.DEFAULT.withOnClose(SessionOptions.CloseAction.TERMINATE), WAIT);
    }
}
