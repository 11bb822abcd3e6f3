package dev.sonde.core.launch;

import dev.sonde.core.error.SondeException;

/** A {@code host:port} address. */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw SondeException.invalidInput("Port " + port + " is out of range; use 1-65535 (or 0 for a free one).");
        }
    }

    /**
     * Reads {@code host:port}, {@code :port} or a bare {@code port} (host defaults to 127.0.0.1), and
     * {@code [v6addr]:port}.
     */
    public static HostPort parse(String text) {
        String value = text == null ? "" : text.strip();
        String host = "127.0.0.1";
        String port = value;
        if (value.startsWith("[")) {
            int close = value.indexOf("]:");
            if (close < 0) {
                throw unreadable(value);
            }
            host = value.substring(1, close);
            port = value.substring(close + 2);
        } else {
            int colon = value.lastIndexOf(':');
            if (colon >= 0) {
                if (value.indexOf(':') != colon) {
                    throw unreadable(value);
                }
                if (colon > 0) {
                    host = value.substring(0, colon);
                }
                port = value.substring(colon + 1);
            }
        }
        try {
            int number = Integer.parseInt(port);
            if (number < 1 || number > 65535) {
                throw SondeException.invalidInput("Port " + number + " in '" + value + "' is out of range; use 1-65535.");
            }
            return new HostPort(host, number);
        } catch (NumberFormatException e) {
            throw unreadable(value);
        }
    }

    private static SondeException unreadable(String value) {
        return SondeException.invalidInput("Cannot read address '" + value + "'; write it as HOST:PORT, for example 127.0.0.1:5005.");
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
