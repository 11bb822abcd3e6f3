package dev.sonde.dashboard;

import dev.sonde.core.error.SondeException;
import dev.sonde.dashboard.watch.JvmWatcher;
import dev.sonde.dashboard.watch.WatchSettings;
import dev.sonde.dashboard.web.AccessToken;
import dev.sonde.dashboard.web.DashboardServer;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** A running dashboard: the watcher that polls JVMs and the web server that shows them. */
public final class Dashboard implements AutoCloseable {

    private final JvmWatcher watcher;
    private final DashboardServer server;
    private final String host;

    private Dashboard(JvmWatcher watcher, DashboardServer server, String host) {
        this.watcher = watcher;
        this.server = server;
        this.host = host;
    }

    /**
     * Starts watching and serving.
     *
     * @param bind        the address to listen on; anything but loopback needs {@code allowRemote}
     * @param port        0 picks a free port
     * @param extensions  extra routes (reports, /metrics)
     * @throws SondeException with one sentence for a refused or unresolvable bind address or a busy port
     */
    public static Dashboard start(WatchSettings settings, String bind, int port, boolean allowRemote, AccessToken token,
                                  List<DashboardServer.Extension> extensions) {
        InetAddress address = checkBind(bind, allowRemote);
        JvmWatcher watcher = new JvmWatcher(settings);
        try {
            DashboardServer server = DashboardServer.start(watcher, token, address.getHostAddress(), port, extensions);
            watcher.start();
            return new Dashboard(watcher, server, address.getHostAddress());
        } catch (RuntimeException e) {
            watcher.close();
            throw e;
        }
    }

    /** Refuses a non-loopback address unless allowed, and says why. */
    public static InetAddress checkBind(String bind, boolean allowRemote) {
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            throw SondeException.invalidInput("Cannot resolve the bind address '" + bind + "'; use an IP address such as 127.0.0.1.");
        }
        if (!address.isLoopbackAddress() && !allowRemote) {
            throw SondeException.invalidInput("Refusing to serve the dashboard on " + bind + ": whoever reaches it with the token can "
                    + "read every watched service and change its settings, and the token crosses the network in clear; "
                    + "pass --allow-remote if you mean it.");
        }
        return address;
    }

    /** The URL to open, with the token: the first visit turns it into a cookie. */
    public String url() {
        String shown = host.contains(":") ? "[" + host + "]" : host;
        return "http://" + shown + ":" + server.port() + "/?token=" + server.token().value();
    }

    public int port() {
        return server.port();
    }

    public boolean isLoopback() {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    public JvmWatcher watcher() {
        return watcher;
    }

    @Override
    public void close() {
        server.close();
        watcher.close();
    }
}
