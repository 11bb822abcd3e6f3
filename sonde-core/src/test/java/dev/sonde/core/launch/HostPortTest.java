package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class HostPortTest {

    @Test
    void readsTheUsualForms() {
        assertThat(HostPort.parse("example.org:5005")).isEqualTo(new HostPort("example.org", 5005));
        assertThat(HostPort.parse("10.0.0.2:8000")).isEqualTo(new HostPort("10.0.0.2", 8000));
        assertThat(HostPort.parse(":5005")).isEqualTo(new HostPort("127.0.0.1", 5005));
        assertThat(HostPort.parse("5005")).isEqualTo(new HostPort("127.0.0.1", 5005));
        assertThat(HostPort.parse(" localhost:1 ")).isEqualTo(new HostPort("localhost", 1));
        assertThat(HostPort.parse("[::1]:5005")).isEqualTo(new HostPort("::1", 5005));
        assertThat(HostPort.parse("127.0.0.1:65535").port()).isEqualTo(65535);
    }

    @Test
    void printsInAFormItReadsBack() {
        assertThat(new HostPort("127.0.0.1", 5005)).hasToString("127.0.0.1:5005");
        assertThat(new HostPort("::1", 5005)).hasToString("[::1]:5005");
        assertThat(HostPort.parse(new HostPort("::1", 7).toString())).isEqualTo(new HostPort("::1", 7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "host", "host:", "host:port", "::1:5005", "[::1]5005", "a:b:c", "host:50.5"})
    void unreadableAddressesShowTheForm(String text) {
        SondeException error = catchThrowableOfType(SondeException.class, () -> HostPort.parse(text));

        assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
        assertThat(error.getMessage()).isEqualTo("Cannot read address '" + text.strip()
                + "'; write it as HOST:PORT, for example 127.0.0.1:5005.");
    }

    @Test
    void portsOutOfRange() {
        assertThat(catchThrowableOfType(SondeException.class, () -> HostPort.parse("host:0")).getMessage())
                .isEqualTo("Port 0 in 'host:0' is out of range; use 1-65535.");
        assertThat(catchThrowableOfType(SondeException.class, () -> HostPort.parse("host:70000")).getMessage())
                .isEqualTo("Port 70000 in 'host:70000' is out of range; use 1-65535.");
        assertThat(catchThrowableOfType(SondeException.class, () -> new HostPort("h", -1)).getMessage())
                .isEqualTo("Port -1 is out of range; use 1-65535 (or 0 for a free one).");
        assertThat(new HostPort("h", 0).port()).isZero();
    }
}
