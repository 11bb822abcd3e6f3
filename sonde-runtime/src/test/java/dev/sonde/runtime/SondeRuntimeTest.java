package dev.sonde.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.runtime.jmx.RuntimeMBeans;
import dev.sonde.runtime.scopes.Scope;
import dev.sonde.runtime.settings.ScopeMode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.management.MBeanServer;

import static org.assertj.core.api.Assertions.assertThat;

class SondeRuntimeTest {

    @Test
    void installIsProcessWideAndRegistersTheMBeansOnce() throws Exception {
        MBeanServer platform = ManagementFactory.getPlatformMBeanServer();
        System.setProperty("sonde.runtime.scopes.mode", "STRICT");
        try (SondeRuntime installed = SondeRuntime.install()) {
            assertThat(SondeRuntime.install()).isSameAs(installed);
            assertThat(SondeRuntime.get()).isSameAs(installed);
            assertThat(installed.scopes().mode()).isEqualTo(ScopeMode.STRICT);
            assertThat(platform.isRegistered(RuntimeMBeans.objectName(RuntimeMBeans.Operations.NAME))).isTrue();
        } finally {
            System.clearProperty("sonde.runtime.scopes.mode");
        }
        assertThat(platform.isRegistered(RuntimeMBeans.objectName(RuntimeMBeans.Operations.NAME))).isFalse();
    }

    @Test
    void anInvalidSystemPropertyDoesNotStopTheService() {
        System.setProperty("sonde.runtime.scopes.mode", "SOMETIMES");
        System.setProperty("sonde.runtime.history.size", "12");
        try (SondeRuntime installed = SondeRuntime.install()) {
            assertThat(installed.scopes().mode()).isEqualTo(ScopeMode.REPORT);
            assertThat(installed.settings().current().asText()).containsEntry("history.size", "256");
        } finally {
            System.clearProperty("sonde.runtime.scopes.mode");
            System.clearProperty("sonde.runtime.history.size");
        }
    }

    @Test
    void theJsonSnapshotHoldsWhatHappened() throws Exception {
        try (SondeRuntime runtime = SondeRuntime.create(dev.sonde.runtime.settings.RuntimeSettings.defaults())) {
            runtime.operations().run("orders.load", () -> { });
            Scope scope = runtime.scopes().enter("quote \"fast\"\n");
            scope.close();
            scope.close();
            // Held until read: a resource nothing refers to may be collected, and then it is no longer live.
            Object session = new Object();
            runtime.resources().register("session", session);
            runtime.kpis().evaluate();

            JsonNode root = new ObjectMapper().readTree(runtime.snapshotJson());

            assertThat(root.at("/scopes/violations").asLong()).isEqualTo(1);
            JsonNode violation = root.at("/scopes/recentViolations/0");
            assertThat(violation.get("kind").asText()).isEqualTo("DOUBLE_EXIT");
            assertThat(violation.get("scope").asText()).isEqualTo("quote \"fast\"\n");
            assertThat(violation.at("/owner/name").asText()).isEqualTo(Thread.currentThread().getName());
            assertThat(root.at("/resources/byType/0/live").asLong()).isEqualTo(1);
            java.lang.ref.Reference.reachabilityFence(session);
            assertThat(root.at("/kpis/readings")).hasSize(4);
            assertThat(root.at("/kpis/readings/0/name").asText()).isEqualTo("scopeViolationRate");
            assertThat(root.at("/kpis/readings/0/value").asDouble()).isEqualTo(1.0);
            assertThat(root.at("/kpis/readings/1/value").isNull()).as("no session ended: NaN, written as null").isTrue();
            assertThat(root.at("/system/heapUsed").asLong()).isPositive();
        }
    }

    @Test
    void onlyTheMicrometerPackageRefersToMicrometer() throws IOException {
        Path classes = Paths.get("target", "classes", "dev", "sonde", "runtime");
        List<Path> referring;
        try (Stream<Path> files = Files.walk(classes)) {
            referring = files.filter(file -> file.toString().endsWith(".class"))
                    .filter(file -> !file.startsWith(classes.resolve("micrometer")))
                    .filter(SondeRuntimeTest::mentionsMicrometer)
                    .collect(Collectors.toList());
        }
        assertThat(classes.resolve("micrometer").resolve("SondeMeterBinder.class")).exists();
        assertThat(mentionsMicrometer(classes.resolve("micrometer").resolve("SondeMeterBinder.class"))).isTrue();
        assertThat(referring).isEmpty();
    }

    private static boolean mentionsMicrometer(Path classFile) {
        try {
            return new String(Files.readAllBytes(classFile), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("io/micrometer/");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
