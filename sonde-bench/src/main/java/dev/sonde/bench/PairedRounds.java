package dev.sonde.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Rounds of several methods measured back to back against one target, and the figures drawn from them. A shared
 * machine's speed drifts within a run: run in ABBA order (ABC CBA for three), each round's figures form a pair that
 * a slow stretch spoils together, and the median over the pairs' ratios is what a comparison reports, never the
 * ratio of each side's median.
 */
public final class PairedRounds {

    /** One round of one method: its rate (hits per second, or any figure where higher is faster). */
    @FunctionalInterface
    public interface Round {
        double measure() throws Exception;
    }

    private PairedRounds() {
    }

    /**
     * Runs {@code rounds} rounds of every method, the methods in the given order in even rounds and in reverse order in
     * odd ones. Returns each method's figures by round, in the order the methods were given.
     */
    public static List<List<Double>> run(int rounds, List<Round> methods) throws Exception {
        List<List<Double>> figures = new ArrayList<>();
        methods.forEach(method -> figures.add(new ArrayList<>()));
        for (int round = 0; round < rounds; round++) {
            for (int step = 0; step < methods.size(); step++) {
                int method = round % 2 == 0 ? step : methods.size() - 1 - step;
                figures.get(method).add(methods.get(method).measure());
            }
        }
        return figures;
    }

    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("No rounds to take a median of; run at least one round.");
        }
        List<Double> sorted = values.stream().sorted().toList();
        int middle = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(middle) : (sorted.get(middle - 1) + sorted.get(middle)) / 2;
    }

    /**
     * The median over rounds of {@code reference[i] / measured[i]}: for rates, how many times the reference's time per
     * hit the measured method takes.
     */
    public static double pairRatio(List<Double> reference, List<Double> measured) {
        List<Double> pairs = new ArrayList<>();
        for (int i = 0; i < Math.min(reference.size(), measured.size()); i++) {
            pairs.add(reference.get(i) / measured.get(i));
        }
        return median(pairs);
    }
}
