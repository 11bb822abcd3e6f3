package dev.sonde.dap.server;

import java.net.InetAddress;
import java.time.Duration;

/** An adapter listening on loopback for a test class, reaching targets through the JVM backend. */
final class Adapter implements AutoCloseable {

    private final DapListener listener;

    Adapter() {
        this(DapOptions.DEFAULT);
    }

    Adapter(DapOptions options) {
        listener = DapListener.open(InetAddress.getLoopbackAddress(), 0, new DapServer(new TestTargets(), options));
    }

    static Adapter withRequestTimeout(Duration timeout) {
        return new Adapter(new DapOptions(timeout, DapOptions.DEFAULT.attachTimeout(), DapOptions.DEFAULT.launchTimeout()));
    }

    DapClient connect() {
        return DapClient.connect(listener.address());
    }

    DapListener listener() {
        return listener;
    }

    @Override
    public void close() {
        listener.close();
    }
}
