package io.warhorse.core.config;

import java.net.InetAddress;

/**
 * An IP address range, {@code 10.0.0.0/8} or {@code 2001:db8::/32}; a bare address is a range of one. IPv4-mapped
 * IPv6 addresses ({@code ::ffff:10.0.0.1}) are their IPv4 address, as Java parses them. Immutable; any thread.
 */
public record Cidr(byte[] network, int prefix, String text) {

    /** Parses {@code text}; throws IllegalArgumentException with a message fit for a config problem. */
    public static Cidr parse(String text) {
        String trimmed = text.strip();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes;
        try {
            bytes = InetAddress.ofLiteral(address).getAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("expected an IP address or a CIDR range such as 10.0.0.0/8 (no host names), got \"" + text + "\"");
        }
        int prefix = bytes.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(trimmed.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bytes.length * 8) {
                throw new IllegalArgumentException("the prefix length of \"" + text + "\" must be 0 to " + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix, trimmed);
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }

    /** True when one of {@code ranges} holds {@code address}. */
    public static boolean anyContains(java.util.List<Cidr> ranges, InetAddress address) {
        for (Cidr range : ranges) {
            if (range.contains(address)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Cidr cidr && cidr.prefix == prefix && java.util.Arrays.equals(cidr.network, network);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(network) * 31 + prefix;
    }

    @Override
    public String toString() {
        return text;
    }
}
