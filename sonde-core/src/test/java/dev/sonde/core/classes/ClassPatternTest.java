package dev.sonde.core.classes;

import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClassPatternTest {

    @Test
    void plainTextMatchesAnyPartOfTheNameIgnoringCase() {
        ClassPattern pattern = new ClassPattern("order");
        assertThat(pattern.isGlob()).isFalse();
        assertThat(pattern.matches("com.acme.OrderService")).isTrue();
        assertThat(pattern.matches("com.acme.Invoice")).isFalse();
    }

    @Test
    void aGlobMatchesTheWholeName() {
        ClassPattern pattern = new ClassPattern("com.acme.*Service");
        assertThat(pattern.matches("com.acme.OrderService")).isTrue();
        assertThat(pattern.matches("com.acme.OrderServiceImpl")).isFalse();
        assertThat(pattern.matches("comXacme.OrderService")).as("a dot is a dot").isFalse();
        assertThat(new ClassPattern("java.util.Map$?ntry").matches("java.util.Map$Entry")).isTrue();
    }

    @Test
    void aBlankPatternIsRefusedInOneSentence() {
        assertThatThrownBy(() -> new ClassPattern("  ")).isInstanceOf(SondeException.class)
                .hasMessage("Give a class name pattern: a part of the name (Order) or a glob (com.acme.*Service).");
    }
}
