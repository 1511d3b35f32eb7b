package dev.signet.core.urlguard;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address range such as {@code 10.0.0.0/8} or {@code fc00::/7}. */
public record Cidr(byte[] network, int prefixLength, String text) {

    public static Cidr parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("CIDR \"" + text + "\" needs a /prefix length");
        }
        String address = text.substring(0, slash).trim();
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("CIDR \"" + text + "\" must start with a numeric IP address");
        }
        byte[] bytes;
        try {
            bytes = InetAddress.getByName(address).getAddress(); // numeric: no DNS lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("CIDR \"" + text + "\" has an invalid address");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(text.substring(slash + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("CIDR \"" + text + "\" has an invalid prefix length");
        }
        if (prefix < 0 || prefix > bytes.length * 8) {
            throw new IllegalArgumentException("CIDR \"" + text + "\" has an out-of-range prefix length");
        }
        return new Cidr(bytes, prefix, text);
    }

    public boolean contains(byte[] address) {
        if (address.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (address[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (address[full] & mask) == (network[full] & mask);
    }

    @Override
    public String toString() {
        return text;
    }
}
