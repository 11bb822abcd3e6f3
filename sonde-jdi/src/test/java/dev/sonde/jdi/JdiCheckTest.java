package dev.sonde.jdi;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The doctor's JDI check, on the JDK the tests run on (which has jdk.jdi). */
class JdiCheckTest {

    @Test
    void findsTheJdwpSocketConnectorOnAFullJdk() {
        JdiCheck check = JdiCheck.run();

        assertThat(check.passed()).isTrue();
        assertThat(check.detail()).isEqualTo("JDWP socket connector available");
        assertThat(check.fix()).contains("full JDK");
    }
}
