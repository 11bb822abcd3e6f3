package dev.sonde.runtime.micrometer;

import dev.sonde.runtime.Await;
import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.settings.RuntimeSettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

class SondeMeterBinderTest {

    @Test
    void publishesFiguresIncludingNamesThatAppearAfterBinding() throws Exception {
        RuntimeSettings settings = RuntimeSettings.defaults();
        settings.set("monitor.interval", "1h");
        try (SondeRuntime runtime = SondeRuntime.create(settings)) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            runtime.operations().run("before", () -> { });
            new SondeMeterBinder(runtime).bindTo(registry);

            runtime.operations().run("after", () -> { });
            runtime.operations().run("after", () -> { });
            runtime.scopes().enter("s").close();
            // Held until the end: a resource nothing refers to may be collected, and then it is no longer live.
            Object session = new Object();
            runtime.resources().register("session", session);
            runtime.recovery().call("lookup", () -> "ok");
            ExecutorService executor = runtime.tasks().wrap("io", Executors.newSingleThreadExecutor());
            executor.submit(() -> { }).get();
            executor.shutdown();
            runtime.kpis().evaluate();

            assertThat(registry.get("sonde.operations").tag("operation", "after").tag("outcome", "succeeded")
                    .functionCounter().count()).isEqualTo(2.0);
            assertThat(registry.get("sonde.operations").tag("operation", "before").tag("outcome", "succeeded")
                    .functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("sonde.operations.in.flight").tag("operation", "after").gauge().value()).isZero();
            assertThat(registry.get("sonde.scopes.entered").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("sonde.kpi").tag("kpi", "scopeViolationRate").gauge().value()).isZero();
            // Resource types, executors and policies are picked up by the next monitor round.
            assertThat(registry.find("sonde.resources.live").gauges()).isEmpty();

            settings.set("monitor.interval", "10ms");
            Await.until(Duration.ofSeconds(5), "a monitor round",
                    () -> registry.find("sonde.recovery.attempts").functionCounter() != null);

            assertThat(registry.get("sonde.resources.live").tag("type", "session").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("sonde.executor.completed").tag("executor", "io").functionCounter().count()).isEqualTo(1.0);
            assertThat(registry.get("sonde.recovery.attempts").tag("policy", "lookup").functionCounter().count()).isEqualTo(1.0);
            java.lang.ref.Reference.reachabilityFence(session);
        }
    }
}
