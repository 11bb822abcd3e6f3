package dev.sonde.runtime.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.jmx.RuntimeMBeans;
import dev.sonde.runtime.settings.RuntimeSettings;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.MBeanServerFactory;

import static org.assertj.core.api.Assertions.assertThat;

class CompactSnapshotTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void keepsOnlyTheNewestEntriesOfEachRecentListAndEverythingElse() throws Exception {
        MBeanServer server = MBeanServerFactory.newMBeanServer();
        try (SondeRuntime runtime = SondeRuntime.create(RuntimeSettings.defaults())) {
            for (int i = 0; i < 10; i++) {
                int attempt = i;
                try {
                    runtime.operations().run("failing", () -> {
                        throw new IllegalStateException("attempt " + attempt);
                    });
                } catch (IllegalStateException expected) {
                    // recorded as a failure
                }
            }
            runtime.registerMBeans(server);
            JsonNode whole = JSON.readTree(runtime.snapshotJson());
            String compactText = (String) server.invoke(RuntimeMBeans.objectName(RuntimeMBeans.Runtime.NAME),
                    RuntimeMBeans.Runtime.COMPACT_SNAPSHOT_JSON, new Object[] {3}, new String[] {Integer.class.getName()});
            JsonNode compact = JSON.readTree(compactText);

            JsonNode failures = whole.path("operations").path("recentFailures");
            assertThat(failures).hasSize(10);
            JsonNode newest = compact.path("operations").path("recentFailures");
            assertThat(newest).hasSize(3);
            for (int i = 0; i < 3; i++) {
                assertThat(newest.get(i)).isEqualTo(failures.get(7 + i));
            }
            assertThat(newest.get(2).path("message").asText()).isEqualTo("attempt 9");
            assertThat(compact.path("operations").path("byName")).isEqualTo(whole.path("operations").path("byName"));
            assertThat(compact.path("settings")).isEqualTo(whole.path("settings"));
            assertThat(JSON.readTree(runtime.snapshotJson(0)).path("operations").path("recentFailures")).isEmpty();
        }
    }
}
