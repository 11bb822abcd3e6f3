package dev.sonde.runtime.resources;

import dev.sonde.runtime.Await;
import dev.sonde.runtime.operations.Operations;
import dev.sonde.runtime.resources.tasks.TaskExecutors;
import dev.sonde.runtime.scopes.Scopes;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.Setting;
import dev.sonde.runtime.threads.StackCapture;
import dev.sonde.runtime.threads.ThreadRef;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ResourcesTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final Resources resources = newResources(settings);

    /** Stands for a session or connection of the service. */
    private static final class Session {
    }

    @Test
    void countsLiveResourcesByTypeWithAgeAndOwner() throws Exception {
        Session first = new Session();
        Session second = new Session();
        ResourceHandle firstHandle = resources.register("session", first);
        Thread.sleep(5);
        ResourceHandle secondHandle = resources.register("session", second);
        ResourceHandle connection = resources.register("connection", new Object());
        connection.close();

        ResourceTypeStats sessions = typeStats("session");
        assertThat(sessions.live()).isEqualTo(2);
        assertThat(sessions.opened()).isEqualTo(2);
        assertThat(sessions.oldestAge()).isGreaterThanOrEqualTo(Duration.ofMillis(5));
        assertThat(typeStats("connection").live()).isZero();
        assertThat(typeStats("connection").closed()).isEqualTo(1);
        List<LiveResource> oldest = resources.oldest(10);
        assertThat(oldest).extracting(LiveResource::id).containsExactly(firstHandle.id(), secondHandle.id());
        assertThat(oldest.get(0).owner()).isEqualTo(ThreadRef.current());
        assertThat(oldest.get(0).description()).startsWith(Session.class.getName() + "@");

        firstHandle.fail();
        secondHandle.close();
        secondHandle.close();
        assertThat(typeStats("session")).extracting(ResourceTypeStats::live, ResourceTypeStats::closed, ResourceTypeStats::failed)
                .containsExactly(0L, 1L, 1L);
    }

    @Test
    void resourceOpenPastTheLeakAgeIsReportedOnce() throws Exception {
        settings.set("resources.leakAge", "20ms");
        ResourceHandle handle = resources.register("session", new Session());
        assertThat(resources.reportOldResources()).isZero();

        Thread.sleep(30);

        assertThat(resources.reportOldResources()).isEqualTo(1);
        assertThat(resources.reportOldResources()).isZero();
        ResourceLeak leak = resources.leaks().get(0).value();
        assertThat(leak.reason()).isEqualTo(LeakReason.OLDER_THAN_THRESHOLD);
        assertThat(leak.id()).isEqualTo(handle.id());
        assertThat(leak.age()).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(leak.describe()).contains("is still open after");
    }

    @Test
    void resourceCollectedWithoutCloseIsReportedWithItsAllocationStack() {
        settings.set(Setting.RESOURCES_ALLOCATION_STACKS, StackCapture.ALL);
        openAndDropASession();
        ResourceHandle closedProperly = resources.register("session", new Session());
        closedProperly.close();

        Await.until(Duration.ofSeconds(10), true, "the collected session", () -> !resources.leaks().isEmpty());

        ResourceLeak leak = resources.leaks().get(0).value();
        assertThat(leak.reason()).isEqualTo(LeakReason.COLLECTED_WITHOUT_CLOSE);
        assertThat(leak.type()).isEqualTo("session");
        assertThat(leak.allocationStack().get(0).getMethodName()).isEqualTo("openAndDropASession");
        assertThat(typeStats("session").collected()).isEqualTo(1);
        assertThat(typeStats("session").live()).isZero();
        assertThat(resources.leaks()).hasSize(1);
    }

    private void openAndDropASession() {
        resources.register("session", new Session());
    }

    private ResourceTypeStats typeStats(String type) {
        return resources.byType().stream().filter(t -> t.type().equals(type)).findFirst().orElseThrow();
    }

    private static Resources newResources(RuntimeSettings settings) {
        Scopes scopes = new Scopes(settings);
        Operations operations = new Operations(settings, scopes);
        return new Resources(settings, new TaskExecutors(settings, operations, scopes));
    }
}
