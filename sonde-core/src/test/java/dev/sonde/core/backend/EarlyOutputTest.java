package dev.sonde.core.backend;

import dev.sonde.core.event.OutputCategory;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EarlyOutputTest {

    @Test
    void holdsOutputUntilTheBackendExistsThenPassesItOnInOrder() {
        EarlyOutput output = new EarlyOutput();
        output.accept(OutputCategory.STDERR, "warning\n");
        output.accept(OutputCategory.STDOUT, "first\n");
        List<String> seen = new ArrayList<>();
        output.deliverTo((category, text) -> seen.add(category + ":" + text));
        assertThat(seen).containsExactly("STDERR:warning\n", "STDOUT:first\n");
        output.accept(OutputCategory.STDOUT, "later\n");
        assertThat(seen).containsExactly("STDERR:warning\n", "STDOUT:first\n", "STDOUT:later\n");
    }
}
