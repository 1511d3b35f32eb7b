package dev.signet.core.urlguard;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Keeps deliveries away from the operator's own network (SSRF): a webhook URL must be https and its
 * host must resolve only to public addresses. Checked when an endpoint is saved and again, on every
 * resolved address, before each attempt. Local mode may allow http and named private ranges.
 */
public final class UrlGuard {
    public static final int MAX_URL_LENGTH = 2048;

    /** Resolves a host name to all of its addresses; injectable so tests need no DNS. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    private static final List<Cidr> BLOCKED = List.of(
            "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12",
            "192.0.0.0/24", "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15",
            "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4",
            "::/128", "::1/128", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8", "2001:db8::/32",
            "100::/64", "2001::/23", "64:ff9b:1::/48")
            .stream().map(Cidr::parse).toList();

    private final boolean allowHttp;
    private final List<Cidr> allowed;
    private final Resolver resolver;

    public UrlGuard(boolean allowHttp, List<String> allowedCidrs, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
        this.resolver = resolver;
    }

    public static UrlGuard system(boolean allowHttp, List<String> allowedCidrs) {
        return new UrlGuard(allowHttp, allowedCidrs, InetAddress::getAllByName);
    }

    public boolean allowsHttp() {
        return allowHttp;
    }

    /** Checks the URL's form (scheme, user-info, length); returns the parsed URI. */
    public URI checkSyntax(String url) {
        if (url == null || url.isBlank()) {
            throw new BlockedUrlException("url is required");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw new BlockedUrlException("url must be at most " + MAX_URL_LENGTH + " characters");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BlockedUrlException("url is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(allowHttp && scheme.equals("http"))) {
            throw new BlockedUrlException(allowHttp ? "url must start with https:// or http://" : "url must start with https://");
        }
        if (uri.getRawUserInfo() != null) {
            throw new BlockedUrlException("url must not contain a user name or password; use the endpoint's auth setting");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new BlockedUrlException("url must name a host");
        }
        if (uri.getRawFragment() != null) {
            throw new BlockedUrlException("url must not have a #fragment");
        }
        return uri;
    }

    /** Checks form and every address the host resolves to; returns the addresses that may be used. */
    public List<InetAddress> check(String url) {
        URI uri = checkSyntax(url);
        return checkHost(uri.getHost());
    }

    public List<InetAddress> checkHost(String rawHost) {
        String host = rawHost;
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        String ascii;
        if (host.indexOf(':') >= 0) {
            ascii = host; // an IPv6 literal: no name to convert
        } else {
            try {
                ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES);
            } catch (IllegalArgumentException e) {
                throw new BlockedUrlException("url host is not a valid host name");
            }
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(ascii);
        } catch (UnknownHostException e) {
            throw new BlockedUrlException("url host " + ascii + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new BlockedUrlException("url host " + ascii + " does not resolve");
        }
        List<InetAddress> ok = new ArrayList<>();
        for (InetAddress a : addresses) {
            String reason = blockedReason(a.getAddress());
            if (reason != null) {
                throw new BlockedUrlException("url host " + ascii + " resolves to " + reason
                        + " address " + a.getHostAddress() + ", which webhooks may not reach");
            }
            ok.add(a);
        }
        return ok;
    }

    /** Why an address is refused, or null if it may be reached. */
    String blockedReason(byte[] address) {
        for (Cidr c : allowed) {
            if (c.contains(address)) {
                return null;
            }
        }
        byte[] embedded = embeddedIpv4(address);
        if (embedded != null) {
            return blockedReason(embedded);
        }
        for (Cidr c : BLOCKED) {
            if (c.contains(address)) {
                return "a private or reserved (" + c + ")";
            }
        }
        return null;
    }

    /** The IPv4 address inside IPv4-mapped, IPv4-compatible, NAT64 and 6to4 IPv6 forms. */
    private static byte[] embeddedIpv4(byte[] a) {
        if (a.length != 16) {
            return null;
        }
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= a[i] == 0;
        }
        if (zeros80 && ((a[10] == (byte) 0xff && a[11] == (byte) 0xff) || (a[10] == 0 && a[11] == 0 && !isTinyV6(a)))) {
            return Arrays.copyOfRange(a, 12, 16); // ::ffff:a.b.c.d and ::a.b.c.d
        }
        if (a[0] == 0x00 && a[1] == 0x64 && a[2] == (byte) 0xff && a[3] == (byte) 0x9b && allZero(a, 4, 12)) {
            return Arrays.copyOfRange(a, 12, 16); // 64:ff9b::/96 (well-known NAT64); the local-use /48 is blocked whole
        }
        if (a[0] == 0x20 && a[1] == 0x02) {
            return Arrays.copyOfRange(a, 2, 6); // 2002::/16 (6to4)
        }
        return null;
    }

    private static boolean allZero(byte[] a, int from, int to) {
        for (int i = from; i < to; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** :: and ::1 are IPv6 themselves, not IPv4-compatible forms. */
    private static boolean isTinyV6(byte[] a) {
        for (int i = 10; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[15] & 0xff) <= 1;
    }

    /** A URL that may not be used; the message says why, for the caller to fix. */
    public static final class BlockedUrlException extends RuntimeException {
        public BlockedUrlException(String message) {
            super(message, null, false, false);
        }
    }
}
