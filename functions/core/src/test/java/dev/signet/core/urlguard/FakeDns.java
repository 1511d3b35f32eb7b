package dev.signet.core.urlguard;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A resolver for tests: names come from a table; IP literals are parsed the way the JDK parses them
 * ({@link InetAddress#ofLiteral}, which is what {@code InetAddress.getAllByName} does for literals and
 * what the delivery client does when it connects), without any DNS traffic. Records every question.
 */
final class FakeDns implements UrlGuard.Resolver {
    private final Map<String, InetAddress[]> table = new HashMap<>();
    final List<String> asked = new ArrayList<>();

    FakeDns with(String host, String... addresses) {
        InetAddress[] resolved = new InetAddress[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            resolved[i] = address(host, addresses[i]);
        }
        table.put(host, resolved);
        return this;
    }

    /** An address built from its bytes, as a DNS answer for {@code host}. */
    static InetAddress address(String host, String literal) {
        try {
            return InetAddress.getByAddress(host, InetAddress.ofLiteral(literal).getAddress());
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        asked.add(host);
        InetAddress[] answer = table.get(host);
        if (answer != null) {
            return answer.clone();
        }
        try {
            return new InetAddress[] {InetAddress.ofLiteral(host)};
        } catch (IllegalArgumentException e) {
            throw new UnknownHostException(host);
        }
    }

    static FakeDns standard() {
        return new FakeDns()
                .with("example.com", "93.184.216.34")
                .with("hooks.example.com", "93.184.216.34", "93.184.216.35")
                .with("v6only.example", "2606:4700:4700::1111")
                .with("dual.example", "93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
                .with("xn--bcher-kva.example", "93.184.216.40")
                .with("localhost", "127.0.0.1", "::1")
                .with("loopback.test", "127.0.0.1")
                .with("v6-loopback.test", "::1")
                .with("ten.test", "10.20.30.40")
                .with("metadata.test", "169.254.169.254")
                .with("metadata-v6.test", "fd00:ec2::254")
                .with("mapped-loopback.test", "::ffff:127.0.0.1")
                .with("mapped-metadata.test", "::ffff:169.254.169.254")
                .with("nat64-metadata.test", "64:ff9b::a9fe:a9fe")
                .with("nat64-ten.test", "64:ff9b::a00:1")
                .with("sixtofour-loopback.test", "2002:7f00:0001::")
                .with("sixtofour-private.test", "2002:c0a8:0101::1")
                .with("v4-compatible-loopback.test", "::7f00:1")
                .with("link-local-v6.test", "fe80::1")
                .with("multicast-v6.test", "ff02::1")
                .with("unspecified-v6.test", "::")
                .with("unique-local.test", "fc00::1")
                .with("teredo.test", "2001:0:4136:e378:8000:63bf:3fff:fdd2")
                .with("documentation-v6.test", "2001:db8::1")
                .with("cgnat.test", "100.100.100.100")
                .with("benchmark.test", "198.18.0.1")
                .with("mixed.test", "93.184.216.34", "10.0.0.5")
                .with("mixed-v6.test", "2606:2800:220:1:248:1893:25c8:1946", "fd12:3456::1")
                .with("mixed-metadata.test", "93.184.216.34", "93.184.216.35", "169.254.169.254");
    }
}
