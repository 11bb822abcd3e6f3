package dev.sonde.runtime.jmx;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sonde.runtime.Await;
import dev.sonde.runtime.SondeRuntime;
import dev.sonde.runtime.jmx.RuntimeMBeans.Columns;
import dev.sonde.runtime.scopes.Scope;
import dev.sonde.runtime.settings.RuntimeSettings;
import dev.sonde.runtime.settings.ScopeMode;
import dev.sonde.runtime.settings.Setting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.server.RMIServerSocketFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanServer;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.OpenMBeanInfo;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import static dev.sonde.runtime.jmx.RuntimeMBeans.objectName;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reads the MBeans the way jconsole or {@code sonde inspect} would: over a real JMX connection. */
class JmxExporterTest {

    private final RuntimeSettings settings = RuntimeSettings.defaults();
    private final SondeRuntime runtime = SondeRuntime.create(settings);
    private final MBeanServer server = MBeanServerFactory.newMBeanServer();
    private JMXConnectorServer connectorServer;
    private JMXConnector connector;
    private MBeanServerConnection remote;

    @BeforeEach
    void connect() throws Exception {
        runtime.registerMBeans(server);
        Map<String, Object> environment = new HashMap<>();
        environment.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new LoopbackOnly());
        // Without a registry the connector's address carries its own stub; nothing listens beyond loopback.
        connectorServer = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), environment, server);
        connectorServer.start();
        connector = JMXConnectorFactory.connect(connectorServer.getAddress());
        remote = connector.getMBeanServerConnection();
    }

    @AfterEach
    void disconnect() throws Exception {
        connector.close();
        connectorServer.stop();
        runtime.close();
    }

    @Test
    void everyMBeanIsUnderOneDomainAndDescribedWithOpenTypes() throws Exception {
        assertThat(remote.queryNames(new ObjectName(RuntimeMBeans.DOMAIN + ":*"), null)).extracting(ObjectName::toString)
                .containsExactlyInAnyOrder(RuntimeMBeans.Runtime.NAME, RuntimeMBeans.Operations.NAME, RuntimeMBeans.Scopes.NAME,
                        RuntimeMBeans.Resources.NAME, RuntimeMBeans.Locks.NAME, RuntimeMBeans.System.NAME,
                        RuntimeMBeans.Recovery.NAME, RuntimeMBeans.Kpis.NAME, RuntimeMBeans.Settings.NAME);
        for (ObjectName name : remote.queryNames(new ObjectName(RuntimeMBeans.DOMAIN + ":*"), null)) {
            MBeanInfo info = remote.getMBeanInfo(name);
            assertThat(info).as("info of %s", name).isInstanceOf(OpenMBeanInfo.class);
            for (MBeanAttributeInfo attribute : info.getAttributes()) {
                assertOnlyJdkTypes(name + "." + attribute.getName(), remote.getAttribute(name, attribute.getName()));
            }
        }
    }

    @Test
    void operationsAndViolationsReadBackRemotely() throws Exception {
        runtime.operations().run("orders.load", () -> { });
        runtime.operations().trackAsync("quotes.fetch", CompletableFuture::new);
        Scope scope = runtime.scopes().enter("tx");
        Thread closer = new Thread(scope::close, "jmx-closer");
        closer.start();
        closer.join();

        TabularData operations = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Operations.NAME),
                RuntimeMBeans.Operations.OPERATIONS);
        CompositeData load = operations.get(new Object[] {"orders.load"});
        assertThat(load.get(Columns.SUCCEEDED)).isEqualTo(1L);
        assertThat(load.get(Columns.WINDOW_COUNT)).isEqualTo(1L);
        assertThat(remote.getAttribute(objectName(RuntimeMBeans.Operations.NAME), RuntimeMBeans.Operations.IN_FLIGHT)).isEqualTo(1L);
        TabularData async = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Operations.NAME),
                RuntimeMBeans.Operations.ASYNC_IN_FLIGHT);
        assertThat(async.get(new Object[] {1}).get(Columns.OPERATION)).isEqualTo("quotes.fetch");

        TabularData violations = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Scopes.NAME),
                RuntimeMBeans.Scopes.RECENT_VIOLATIONS);
        CompositeData violation = violations.get(new Object[] {1L});
        assertThat(violation.get(Columns.KIND)).isEqualTo("WRONG_THREAD");
        assertThat(violation.get(Columns.SCOPE)).isEqualTo("tx");
        assertThat((String) violation.get(Columns.OWNER)).startsWith(Thread.currentThread().getName() + "#");
        assertThat((String) violation.get(Columns.SEEN_ON)).startsWith("jmx-closer#");
        TabularData byKind = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Scopes.NAME),
                RuntimeMBeans.Scopes.VIOLATIONS_BY_KIND);
        assertThat(byKind.get(new Object[] {"WRONG_THREAD"}).get(Columns.COUNT)).isEqualTo(1L);
    }

    @Test
    void resourcesRecoveryAndKpisReadBackRemotely() throws Exception {
        runtime.resources().register("session", new Object()).fail();
        // Held until read: a resource nothing refers to may be collected, and then it is no longer live.
        Object session = new Object();
        runtime.resources().register("session", session);
        runtime.recovery().call("lookup", () -> "found");

        TabularData types = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Resources.NAME), RuntimeMBeans.Resources.TYPES);
        CompositeData sessions = types.get(new Object[] {"session"});
        assertThat(sessions.get(Columns.LIVE)).isEqualTo(1L);
        java.lang.ref.Reference.reachabilityFence(session);
        assertThat(sessions.get(Columns.FAILED)).isEqualTo(1L);
        TabularData policies = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Recovery.NAME),
                RuntimeMBeans.Recovery.POLICIES);
        assertThat(policies.get(new Object[] {"lookup"}).get(Columns.SUCCEEDED_FIRST_TRY)).isEqualTo(1L);

        TabularData readings = (TabularData) remote.invoke(objectName(RuntimeMBeans.Kpis.NAME), RuntimeMBeans.Kpis.EVALUATE,
                new Object[0], new String[0]);
        CompositeData success = readings.get(new Object[] {"sessionSuccessRate"});
        assertThat(success.get(Columns.VALUE)).isEqualTo(0.0);
        assertThat(success.get(Columns.BREACHED)).isEqualTo(true);
        TabularData alerts = (TabularData) remote.getAttribute(objectName(RuntimeMBeans.Kpis.NAME), RuntimeMBeans.Kpis.ALERTS);
        assertThat(alerts.get(new Object[] {1L}).get(Columns.NAME)).isEqualTo("sessionSuccessRate");
        assertThat((Long) remote.getAttribute(objectName(RuntimeMBeans.System.NAME), RuntimeMBeans.System.HEAP_USED)).isPositive();
    }

    @Test
    void settingsAreChangedRemotelyAndInvalidValuesRefused() throws Exception {
        ObjectName settingsBean = objectName(RuntimeMBeans.Settings.NAME);

        remote.invoke(settingsBean, RuntimeMBeans.Settings.SET, new Object[] {"scopes.mode", "STRICT"},
                new String[] {String.class.getName(), String.class.getName()});
        remote.invoke(settingsBean, RuntimeMBeans.Settings.APPLY, new Object[] {"history.size=10\nkpi.window=30s"},
                new String[] {String.class.getName()});

        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.STRICT);
        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(10);
        assertThat(remote.getAttribute(objectName(RuntimeMBeans.Scopes.NAME), RuntimeMBeans.Scopes.MODE)).isEqualTo("STRICT");
        TabularData table = (TabularData) remote.getAttribute(settingsBean, RuntimeMBeans.Settings.SETTINGS);
        CompositeData row = table.get(new Object[] {"kpi.window"});
        assertThat(row.get(Columns.VALUE)).isEqualTo("30s");
        assertThat(row.get(Columns.DEFAULT_VALUE)).isEqualTo("1m");

        assertThatThrownBy(() -> remote.invoke(settingsBean, RuntimeMBeans.Settings.APPLY,
                new Object[] {"history.size=20\nscopes.mode=LOUD"}, new String[] {String.class.getName()}))
                .isInstanceOf(RuntimeMBeanException.class)
                .cause().isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Setting 'scopes.mode' must be one of OFF, REPORT, STRICT, not 'LOUD'.");
        assertThat(settings.get(Setting.HISTORY_SIZE)).isEqualTo(10);

        remote.invoke(settingsBean, RuntimeMBeans.Settings.RESET, new Object[0], new String[0]);
        assertThat(settings.get(Setting.SCOPES_MODE)).isEqualTo(ScopeMode.REPORT);
    }

    @Test
    void settingsFileStatusReadsBackRemotely(@TempDir Path dir) throws Exception {
        ObjectName settingsBean = objectName(RuntimeMBeans.Settings.NAME);
        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.CONFIG_FILE)).isNull();
        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_RELOAD_AT)).isNull();
        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_ERROR)).isNull();

        Path file = Files.writeString(dir.resolve("runtime.yaml"), "history: {size: 0}\n");
        runtime.watchSettingsFile(file, Map.of());

        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.CONFIG_FILE)).isEqualTo(file.toString());
        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_RELOAD_AT)).isNull();
        assertThat((String) remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_ERROR))
                .isEqualTo("Settings file " + file + ": Setting 'history.size' must be a whole number from 1 to 100000, not '0'.");
        Files.writeString(file, "history: {size: 20}\n");
        Await.until(Duration.ofSeconds(10), "the fixed file applied",
                () -> settings.get(Setting.HISTORY_SIZE) == 20);
        assertThat(remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_ERROR)).isNull();
        assertThat(Instant.parse((String) remote.getAttribute(settingsBean, RuntimeMBeans.Settings.LAST_RELOAD_AT))).isNotNull();
    }

    @Test
    void snapshotJsonHasEverySection() throws Exception {
        runtime.operations().run("orders.load", () -> { });

        String json = (String) remote.invoke(objectName(RuntimeMBeans.Runtime.NAME), RuntimeMBeans.Runtime.SNAPSHOT_JSON,
                new Object[0], new String[0]);

        JsonNode root = new ObjectMapper().readTree(json);
        assertThat(root.fieldNames()).toIterable().containsExactly("capturedAt", "startedAt", "settings", "operations",
                "scopes", "resources", "locks", "executors", "system", "recovery", "kpis");
        assertThat(root.at("/operations/byName/0/name").asText()).isEqualTo("orders.load");
        assertThat(root.at("/operations/byName/0/window/count").asLong()).isEqualTo(1);
        assertThat(root.at("/settings/scopes.mode").asText()).isEqualTo("REPORT");
    }

    @Test
    void closingTheRuntimeUnregistersItsMBeans() throws Exception {
        runtime.close();

        assertThat(remote.queryNames(new ObjectName(RuntimeMBeans.DOMAIN + ":*"), null)).isEmpty();
    }

    @Test
    void aSecondRuntimeOnTheSameServerIsRefused() {
        try (SondeRuntime second = SondeRuntime.create(RuntimeSettings.defaults())) {
            assertThatThrownBy(() -> second.registerMBeans(server)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("already registered");
        }
    }

    /** Open data holds only JDK classes, so a client without this library can read it. */
    private static void assertOnlyJdkTypes(String where, Object value) {
        if (value == null) {
            return;
        }
        assertThat(value.getClass().getName()).as("class of %s", where).startsWith("java");
        if (value instanceof CompositeData composite) {
            for (String key : composite.getCompositeType().keySet()) {
                assertOnlyJdkTypes(where + "." + key, composite.get(key));
            }
        } else if (value instanceof TabularData table) {
            for (Object row : (Collection<?>) table.values()) {
                assertOnlyJdkTypes(where + "[]", row);
            }
        }
    }

    private static final class LoopbackOnly implements RMIServerSocketFactory {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof LoopbackOnly;
        }

        @Override
        public int hashCode() {
            return LoopbackOnly.class.hashCode();
        }
    }
}
