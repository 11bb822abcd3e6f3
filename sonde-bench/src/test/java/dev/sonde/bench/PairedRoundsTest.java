package dev.sonde.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The order rounds run in and the figures a comparison reports. */
class PairedRoundsTest {

    @Test
    void roundsRunBackToBackInAbbaOrder() throws Exception {
        List<String> order = new ArrayList<>();
        List<List<Double>> figures = PairedRounds.run(4, List.of(
                () -> { order.add("A"); return 1.0; },
                () -> { order.add("B"); return 2.0; },
                () -> { order.add("C"); return 3.0; }));

        assertThat(String.join("", order)).isEqualTo("ABCCBAABCCBA");
        assertThat(figures).containsExactly(List.of(1.0, 1.0, 1.0, 1.0), List.of(2.0, 2.0, 2.0, 2.0), List.of(3.0, 3.0, 3.0, 3.0));
    }

    @Test
    void theRatioIsTheMedianOfThePairsNotTheRatioOfTheMedians() {
        // The machine slows down and speeds up between rounds; within a round the method is always 1.2x the floor's time.
        List<Double> floor = List.of(900.0, 300.0, 600.0, 800.0, 350.0);
        List<Double> method = floor.stream().map(rate -> rate / 1.2).toList();
        List<Double> drifted = List.of(method.get(0), method.get(1), method.get(2), 270.0, method.get(4));

        assertThat(PairedRounds.pairRatio(floor, method)).isCloseTo(1.2, within(1e-9));
        assertThat(PairedRounds.pairRatio(floor, drifted)).isCloseTo(1.2, within(1e-9));
        assertThat(PairedRounds.median(floor) / PairedRounds.median(drifted)).isGreaterThan(1.4);
        assertThat(PairedRounds.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }
}
