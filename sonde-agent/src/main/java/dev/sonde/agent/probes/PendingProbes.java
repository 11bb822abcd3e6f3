package dev.sonde.agent.probes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Probes on classes no class loader has defined yet. Each waits for its class by name; the transformer reports every
 * class definition, and when one names a waiting class its probe is armed right after (a retransformation, from a
 * thread of the agent, once the class exists). A probe keeps waiting after it is armed, so the same class defined
 * by another class loader later gets the probe too.
 */
final class PendingProbes {

    /**
     * A probe waiting for {@code className} (or a class nested in it, for a line there).
     *
     * @param arm makes and arms the probe on a class of that name, with the id it is given; null when that class
     *            does not have the probe's code (the line is in a nested class not loaded yet)
     */
    record Waiting(int id, String className, String kind, String location, ProbeBudget budget, Function<Arming, Probe> arm) {
    }

    /** One class definition to arm {@code waiting} on, the class itself or ({@code nested}) one nested in it: the probe gets {@code id}. */
    record Arming(Class<?> type, int id, boolean nested) {
    }

    /** A class definition seen by the transformer, not yet a class. */
    record Definition(ClassLoader loader, String className) {
    }

    private final Map<Integer, Waiting> waiting = new ConcurrentHashMap<>();
    private final Map<String, List<Integer>> byInternalName = new ConcurrentHashMap<>();
    private final Map<Integer, List<Integer>> armedFrom = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Definition> definitions = new LinkedBlockingQueue<>();

    void add(Waiting probe) {
        waiting.put(probe.id(), probe);
        byInternalName.computeIfAbsent(probe.className().replace('.', '/'), k -> new ArrayList<>()).add(probe.id());
    }

    /** Stops waiting for probe {@code id}; returns whether it was waiting. */
    boolean remove(int id) {
        Waiting removed = waiting.remove(id);
        if (removed == null) {
            return false;
        }
        byInternalName.computeIfPresent(removed.className().replace('.', '/'), (k, ids) -> {
            ids.remove((Integer) id);
            return ids.isEmpty() ? null : ids;
        });
        armedFrom.remove(id);
        return true;
    }

    /** Called by the transformer for every class definition: cheap unless a probe waits for that name or its outer class. */
    void defined(ClassLoader loader, String internalName) {
        if (internalName == null || byInternalName.isEmpty()) {
            return;
        }
        int nested = internalName.indexOf('$');
        if (byInternalName.containsKey(nested > 0 ? internalName.substring(0, nested) : internalName)) {
            definitions.offer(new Definition(loader, internalName.replace('/', '.')));
        }
    }

    Definition next(long timeoutMillis) throws InterruptedException {
        return definitions.poll(timeoutMillis, TimeUnit.MILLISECONDS);
    }

    List<Waiting> waitingFor(String className) {
        return waiting.values().stream().filter(w -> w.className().equals(className)).sorted(Comparator.comparingInt(Waiting::id)).toList();
    }

    Waiting get(int id) {
        return waiting.get(id);
    }

    /** Records that probe {@code armed} was made from waiting probe {@code from}. */
    void armed(int from, int armed) {
        armedFrom.computeIfAbsent(from, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(armed);
    }

    boolean armedFrom(int from, int armed) {
        List<Integer> ids = armedFrom.get(from);
        return ids != null && ids.contains(armed);
    }

    /** Whether a waiting probe has been armed at least once (in some class loader). */
    boolean everArmed(int id) {
        return armedFrom.containsKey(id);
    }

    List<Waiting> all() {
        return waiting.values().stream().sorted(Comparator.comparingInt(Waiting::id)).toList();
    }

    int notYetArmed() {
        return (int) waiting.keySet().stream().filter(id -> !armedFrom.containsKey(id)).count();
    }
}
