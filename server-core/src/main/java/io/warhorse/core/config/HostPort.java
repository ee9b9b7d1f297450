package io.warhorse.core.config;

import java.net.InetSocketAddress;

/** A TCP listen address as written in {@code warhorse.bind} or {@code --bind}: {@code HOST:PORT}, {@code :PORT}, {@code [v6]:PORT}. */
public record HostPort(String host, int port) {

    public HostPort {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
    }

    /** Parses {@code HOST:PORT}; an empty host means every interface. */
    public static HostPort parse(String text) {
        if (text.startsWith("unix:")) {
            throw new IllegalArgumentException("'" + text + "': Unix domain sockets are not supported: "
                    + "Undertow's XNIO transport cannot listen on them; bind a TCP HOST:PORT and put a proxy in front");
        }
        int colon = text.lastIndexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("'" + text + "' is not HOST:PORT (for example 127.0.0.1:8000 or 0.0.0.0:8000)");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        String port = text.substring(colon + 1);
        try {
            return new HostPort(host.isEmpty() ? "0.0.0.0" : host, Integer.parseInt(port));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': port '" + port + "' is not a number");
        }
    }

    public InetSocketAddress toAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
