package dev.sonde.dashboard.metrics;

import dev.sonde.dashboard.watch.JvmSource;
import dev.sonde.dashboard.watch.JvmStatus;
import dev.sonde.dashboard.watch.JvmView;
import dev.sonde.dashboard.watch.WatchedJvm;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every watched JVM's figures in one Micrometer Prometheus registry, labelled {@code pid}, {@code main_class}
 * and {@code host}. The registry follows the watcher at each scrape: new JVMs and figures get meters, and
 * JVMs that ended lose theirs.
 */
public final class PrometheusExport {

    /** The host in {@code service:jmx:rmi:///jndi/rmi://HOST:PORT/jmxrmi} or {@code service:jmx:jmxmp://HOST:PORT}. */
    private static final Pattern JMX_HOST = Pattern.compile("//\\[?([^/:\\]]+)]?:\\d+(?:/|$)");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, JvmMeters> byJvm = new HashMap<>();
    private final String localHost;

    public PrometheusExport() {
        this.localHost = localHostName();
    }

    /** The Prometheus text exposition of {@code jvms} as they stand now. */
    public synchronized String scrape(List<WatchedJvm> jvms) {
        Set<String> kept = new HashSet<>();
        for (WatchedJvm jvm : jvms) {
            JvmView view = jvm.view();
            if (view.status() == JvmStatus.GONE || view.status() == JvmStatus.CONNECTING) {
                continue;
            }
            Tags tags = Tags.of("pid", Long.toString(view.pid()), "main_class", mainClass(view), "host", host(jvm.source(), view));
            JvmMeters meters = byJvm.get(jvm.id());
            if (meters != null && !meters.jvmTags().equals(tags)) {
                meters.remove();
                meters = null;
            }
            if (meters == null) {
                meters = new JvmMeters(registry, tags);
                byJvm.put(jvm.id(), meters);
            }
            meters.update(JvmReadings.of(view));
            kept.add(jvm.id());
        }
        byJvm.entrySet().removeIf(entry -> {
            boolean gone = !kept.contains(entry.getKey());
            if (gone) {
                entry.getValue().remove();
            }
            return gone;
        });
        return registry.scrape();
    }

    private String host(JvmSource source, JvmView view) {
        if (source instanceof JvmSource.Remote remote) {
            Matcher host = JMX_HOST.matcher(remote.url());
            String found = null;
            while (host.find()) {
                found = host.group(1);
            }
            return found != null ? found : remote.url();
        }
        return localHost;
    }

    private static String mainClass(JvmView view) {
        return view.mainClass() == null || view.mainClass().isBlank() || view.mainClass().equals("?") ? "unknown" : view.mainClass();
    }

    private static String localHostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
