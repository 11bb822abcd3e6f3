package dev.sonde.core.launch;

import dev.sonde.core.error.ErrorKind;
import dev.sonde.core.error.SondeException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class BindPolicyTest {

    private static final String REFUSAL = ": anyone who can reach a debug port can run any code in the target; pass --allow-remote if you mean it.";

    @Test
    void loopbackIsAlwaysAllowed() {
        assertThat(BindPolicy.check("127.0.0.1", false).isLoopbackAddress()).isTrue();
        assertThat(BindPolicy.check("localhost", false).isLoopbackAddress()).isTrue();
        assertThat(BindPolicy.check("::1", false).isLoopbackAddress()).isTrue();
    }

    @Test
    void anythingElseNeedsAllowRemote() {
        for (String address : new String[] {"0.0.0.0", "*", "::", "192.0.2.10"}) {
            SondeException error = catchThrowableOfType(SondeException.class, () -> BindPolicy.check(address, false));
            assertThat(error.kind()).isEqualTo(ErrorKind.INVALID_INPUT);
            assertThat(error.getMessage()).isEqualTo("Refusing to bind the debug port to " + address + REFUSAL);
            assertThat(BindPolicy.check(address, true)).isNotNull();
        }
    }

    @Test
    void anUnresolvableBindAddressIsNamed() {
        assertThat(catchThrowableOfType(SondeException.class, () -> BindPolicy.check("no-such-host.invalid", true)).getMessage())
                .isEqualTo("Cannot resolve bind address 'no-such-host.invalid'; use an IP address such as 127.0.0.1.");
    }

    @Test
    void wildcards() {
        assertThat(BindPolicy.isWildcard("*")).isTrue();
        assertThat(BindPolicy.isWildcard("0.0.0.0")).isTrue();
        assertThat(BindPolicy.isWildcard("::")).isTrue();
        assertThat(BindPolicy.isWildcard("127.0.0.1")).isFalse();
    }

    @Test
    void aBusyPortIsReportedAndAFreeOneFound() throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(loopback, 0));
            int port = busy.getLocalPort();

            SondeException error = catchThrowableOfType(SondeException.class, () -> BindPolicy.requireFree(loopback, port));

            assertThat(error.kind()).isEqualTo(ErrorKind.CONNECTION);
            assertThat(error.getMessage()).isEqualTo("Port " + port + " on " + loopback.getHostAddress()
                    + " is already in use; choose another with --port, or --port 0 to pick a free one.");
            BindPolicy.requireFree(loopback, 0);
            assertThat(BindPolicy.freePort(loopback)).isNotEqualTo(port).isPositive();
            assertThat(BindPolicy.freeLoopbackPort()).isNotEqualTo(port).isPositive();
        }
    }
}
