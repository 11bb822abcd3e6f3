package dev.sonde.runtime.stats;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

class HistoryTest {

    @Test
    void rendersEachEntryOnceWhileItStaysAndLetsTheOldestGo() {
        History<String> history = new History<>(() -> 2);
        List<Long> rendered = new ArrayList<>();
        Function<History.Entry<String>, String> rendering = entry -> {
            rendered.add(entry.sequence());
            return entry.sequence() + ":" + entry.value();
        };
        history.add("a");
        history.add("b");
        assertThat(history.rendered(rendering)).containsExactly("1:a", "2:b");
        assertThat(history.rendered(rendering)).containsExactly("1:a", "2:b");

        history.add("c");
        assertThat(history.rendered(rendering)).containsExactly("2:b", "3:c");
        assertThat(rendered).containsExactly(1L, 2L, 3L);
        assertThat(history.entries()).extracting(History.Entry::value).containsExactly("b", "c");
    }
}
