package dev.sonde.cli;

import dev.sonde.fixtures.Markers;
import dev.sonde.fixtures.TargetJvm;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The JVM a {@code sonde probe} test class probes: a fixture main class on the fixtures' class path with a small heap,
 * started before the class's tests (once it printed {@code ready}) and ended after them. Register it with
 * {@code @RegisterExtension static final ProbeTarget target = new ProbeTarget(Fixture.class);}.
 */
final class ProbeTarget implements BeforeAllCallback, AfterAllCallback {

    private final Class<?> mainClass;
    private TargetJvm jvm;

    ProbeTarget(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        jvm = TargetJvm.start("ready", "-Xmx64m", "-XX:TieredStopAtLevel=1", "-cp", Markers.classPath().toString(), mainClass.getName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        jvm.close();
    }

    TargetJvm jvm() {
        return jvm;
    }

    /** The pid as {@code sonde probe} takes it. */
    String pid() {
        return Long.toString(jvm.pid());
    }
}
