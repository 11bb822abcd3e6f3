package dev.sonde.dashboard.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The meters of one JVM: each reads its figure from {@link #values}, which every scrape refreshes from the
 * JVM's latest view. A figure the view no longer has loses its meter, and {@link #remove()} takes them all
 * out when the JVM goes. Not thread-safe: {@link PrometheusExport} serialises scrapes.
 */
final class JvmMeters {

    private final MeterRegistry registry;
    private final Tags jvmTags;
    /** Held here because Micrometer holds a gauge's state object only weakly. */
    private final Map<String, Double> values = new ConcurrentHashMap<>();
    private final Map<String, Meter> meters = new HashMap<>();

    JvmMeters(MeterRegistry registry, Tags jvmTags) {
        this.registry = registry;
        this.jvmTags = jvmTags;
    }

    Tags jvmTags() {
        return jvmTags;
    }

    void update(List<Reading> readings) {
        Set<String> present = new HashSet<>();
        for (Reading reading : readings) {
            String key = reading.key();
            present.add(key);
            values.put(key, reading.value());
            meters.computeIfAbsent(key, missing -> register(reading, key));
        }
        meters.entrySet().removeIf(entry -> {
            boolean gone = !present.contains(entry.getKey());
            if (gone) {
                registry.remove(entry.getValue());
                values.remove(entry.getKey());
            }
            return gone;
        });
    }

    void remove() {
        meters.values().forEach(registry::remove);
        meters.clear();
        values.clear();
    }

    private Meter register(Reading reading, String key) {
        Tags tags = jvmTags.and(reading.tags());
        return switch (reading.kind()) {
            case GAUGE -> Gauge.builder(reading.name(), values, figures -> figures.getOrDefault(key, Double.NaN))
                    .baseUnit(reading.unit()).tags(tags).description(reading.help()).strongReference(true).register(registry);
            case COUNTER -> FunctionCounter.builder(reading.name(), values, figures -> figures.getOrDefault(key, Double.NaN))
                    .baseUnit(reading.unit()).tags(tags).description(reading.help()).register(registry);
        };
    }
}
