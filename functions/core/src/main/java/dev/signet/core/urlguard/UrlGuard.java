package dev.signet.core.urlguard;

import dev.signet.core.config.SignetConfig;

import java.net.IDN;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
    /**
     * URLs whose form already passed, with their canonical URI: the form is a pure function of the
     * string, so each endpoint's URL is parsed once, not at every attempt. Resolution and the address
     * checks still run every time. Bounded: emptied when full.
     */
    private final Map<String, URI> checkedForm = new ConcurrentHashMap<>();
    private static final int CHECKED_FORM_MAX = 10_000;

    /**
     * Ports no URL may use on a loopback address or in an allowed private range: local mode's own (its
     * API and the emulators), so an endpoint can never talk to them with Signet's hand.
     */
    private final Set<Integer> refusedPorts;

    public UrlGuard(boolean allowHttp, List<String> allowedCidrs, Resolver resolver) {
        this(allowHttp, allowedCidrs, Set.of(), resolver);
    }

    public UrlGuard(boolean allowHttp, List<String> allowedCidrs, Set<Integer> refusedPorts, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowed = allowedCidrs.stream().map(Cidr::parse).toList();
        this.refusedPorts = Set.copyOf(refusedPorts);
        this.resolver = resolver;
    }

    public static UrlGuard system(boolean allowHttp, List<String> allowedCidrs) {
        return new UrlGuard(allowHttp, allowedCidrs, InetAddress::getAllByName);
    }

    /** The guard a deployment's settings ask for, on the system's resolver. */
    public static UrlGuard system(SignetConfig config) {
        return new UrlGuard(config.allowHttp(), config.allowedPrivateCidrs(), config.localPorts(), InetAddress::getAllByName);
    }

    public boolean allowsHttp() {
        return allowHttp;
    }

    /**
     * Checks the URL's form (scheme, user-info, length) and returns it with its host in the one
     * spelling that is resolved and sent to: IDN names in punycode, numeric IPv4 hosts (decimal,
     * octal, hex, shortened) as a dotted quad, lower case, no trailing dot.
     */
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
        if (uri.isOpaque() || uri.getRawAuthority() == null || uri.getRawAuthority().isEmpty()) {
            throw new BlockedUrlException("url must name a host");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority().contains("@")) {
            throw new BlockedUrlException("url must not contain a user name or password; use the endpoint's auth setting");
        }
        if (uri.getRawFragment() != null) {
            throw new BlockedUrlException("url must not have a #fragment");
        }
        // java.net.URI leaves the host null for names it cannot parse (non-ASCII, "0x7f.1"): split the authority ourselves.
        String authority = uri.getRawAuthority();
        String host;
        int port;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw new BlockedUrlException("url host is not a valid host name");
            }
            host = authority.substring(0, close + 1);
            port = port(authority.substring(close + 1));
        } else {
            int colon = authority.lastIndexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            port = colon < 0 ? -1 : port(authority.substring(colon));
        }
        String canonical = canonicalHost(host);
        String shown = canonical.indexOf(':') >= 0 ? "[" + canonical + "]" : canonical;
        String rebuilt = scheme + "://" + shown + (port < 0 ? "" : ":" + port)
                + (uri.getRawPath() == null ? "" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        try {
            return new URI(rebuilt);
        } catch (URISyntaxException e) {
            throw new BlockedUrlException("url is not a valid URL");
        }
    }

    private static int port(String colonAndPort) {
        if (colonAndPort.isEmpty()) {
            return -1;
        }
        if (!colonAndPort.matches(":[0-9]{1,5}")) {
            throw new BlockedUrlException("url port is not valid");
        }
        int port = Integer.parseInt(colonAndPort.substring(1));
        if (port < 1 || port > 65535) {
            throw new BlockedUrlException("url port must be between 1 and 65535");
        }
        return port;
    }

    /**
     * The one spelling of a host that is checked and connected to. Numeric IPv4 hosts are read the
     * way inet_aton, curl and browsers read them (0x7f.1, 127.1 and 2130706433 are 127.0.0.1) and
     * sent as a dotted quad; leading-zero parts, octal to those readers but decimal to the JDK, are
     * refused, so no spelling hides a private address.
     */
    static String canonicalHost(String raw) {
        String host = raw;
        if (host.startsWith("[") && host.endsWith("]")) {
            String inner = host.substring(1, host.length() - 1);
            if (!inner.matches("[0-9a-fA-F:.]+")) {
                throw new BlockedUrlException("url host is not a valid IPv6 address"); // no zone ids (%eth0)
            }
            try {
                return InetAddress.ofLiteral(inner).getHostAddress();
            } catch (IllegalArgumentException e) {
                throw new BlockedUrlException("url host is not a valid IPv6 address");
            }
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty() || host.indexOf('%') >= 0) {
            throw new BlockedUrlException("url host is not a valid host name");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(host, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            throw new BlockedUrlException("url host is not a valid host name");
        }
        if (ascii.endsWith(".")) {
            ascii = ascii.substring(0, ascii.length() - 1); // an IDN full stop (。) written as the trailing dot
        }
        if (ascii.isEmpty() || ascii.endsWith(".")) {
            throw new BlockedUrlException("url host is not a valid host name");
        }
        String[] labels = ascii.split("\\.", -1);
        String last = labels[labels.length - 1];
        if (last.matches("[0-9]+|0x[0-9a-f]*")) {
            return numericIpv4(labels); // a numeric last label makes the whole host an IPv4 address
        }
        return ascii;
    }

    private static String numericIpv4(String[] parts) {
        if (parts.length > 4) {
            throw new BlockedUrlException("url host is not a valid IPv4 address");
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                if (p.startsWith("0x")) {
                    values[i] = p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16);
                } else if (p.length() > 1 && p.startsWith("0")) {
                    // Octal to inet_aton and curl, decimal to the JDK: refuse rather than guess which one connects.
                    throw new BlockedUrlException("url host " + String.join(".", parts)
                            + " is an ambiguous numeric address (leading zeros); write it as a dotted decimal address");
                } else {
                    values[i] = Long.parseLong(p);
                }
            } catch (NumberFormatException e) {
                throw new BlockedUrlException("url host is not a valid IPv4 address");
            }
        }
        long address = 0;
        for (int i = 0; i < values.length - 1; i++) {
            if (values[i] > 255) {
                throw new BlockedUrlException("url host is not a valid IPv4 address");
            }
            address |= values[i] << (24 - 8 * i);
        }
        long rest = values[values.length - 1];
        if (rest >= (1L << (8 * (5 - values.length)))) {
            throw new BlockedUrlException("url host is not a valid IPv4 address");
        }
        address |= rest;
        return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "." + (address & 0xff);
    }

    /** Checks form and every address the host resolves to; returns the addresses that may be used. */
    public List<InetAddress> check(String url) {
        return target(url).addresses();
    }

    /** Where a request to {@code url} may go: the canonical URI and the checked addresses of its host. */
    public Target target(String url) {
        URI uri = url == null ? null : checkedForm.get(url);
        if (uri == null) {
            uri = checkSyntax(url);
            if (checkedForm.size() >= CHECKED_FORM_MAX) {
                checkedForm.clear();
            }
            checkedForm.put(url, uri);
        }
        List<InetAddress> addresses = checkCanonical(bareHost(uri));
        int port = uri.getPort() >= 0 ? uri.getPort() : "http".equals(uri.getScheme()) ? 80 : 443;
        if (refusedPorts.contains(port)) {
            for (InetAddress a : addresses) {
                if (a.isLoopbackAddress() || a.isAnyLocalAddress() || allowed.stream().anyMatch(c -> c.contains(a.getAddress()))) {
                    throw new BlockedUrlException("url port " + port + " is one of local mode's own ports (its API and emulators), "
                            + "which webhooks may not reach; use a receiver on another port");
                }
            }
        }
        return new Target(uri, addresses);
    }

    /** A checked URL: connect only to {@code addresses}, which all passed the guard. */
    public record Target(URI uri, List<InetAddress> addresses) {
        public String host() {
            return bareHost(uri);
        }
    }

    /** The URI's host without IPv6 brackets: the canonical form {@link #checkSyntax} produced. */
    private static String bareHost(URI uri) {
        String h = uri.getHost();
        return h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
    }

    public List<InetAddress> checkHost(String rawHost) {
        return checkCanonical(canonicalHost(rawHost.startsWith("[") || rawHost.indexOf(':') < 0 ? rawHost : "[" + rawHost + "]"));
    }

    /** Resolves a host already in canonical form (see {@link #checkSyntax}) and checks every address. */
    private List<InetAddress> checkCanonical(String ascii) {
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
                // The tenant learns that the name is internal, never which internal address it names:
                // that would map the operator's network one name at a time. Logs may carry the detail.
                throw new BlockedUrlException("url host " + ascii + " resolves to a non-public address, which webhooks may not reach",
                        reason + " address " + a.getHostAddress());
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

    /** The IPv4 address inside IPv4-mapped, IPv4-translated, IPv4-compatible, NAT64 and 6to4 IPv6 forms. */
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
        if (allZero(a, 0, 8) && a[8] == (byte) 0xff && a[9] == (byte) 0xff && a[10] == 0 && a[11] == 0) {
            return Arrays.copyOfRange(a, 12, 16); // ::ffff:0:a.b.c.d (IPv4-translated, ::ffff:0:0:0/96, RFC 2765)
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

    /**
     * A URL that may not be used; the message says why, for the caller to fix, and is safe to show the
     * tenant. {@link #detail()} says more for the operator's logs (the refused address and its range).
     */
    public static final class BlockedUrlException extends RuntimeException {
        private final String detail;

        public BlockedUrlException(String message) {
            this(message, null);
        }

        public BlockedUrlException(String message, String detail) {
            super(message, null, false, false);
            this.detail = detail;
        }

        /** What the operator may know beyond the message (never shown to the tenant), or null. */
        public String detail() {
            return detail;
        }
    }
}
