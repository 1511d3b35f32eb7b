package dev.signet.delivery;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM-wide name resolver of the delivery function (registered in META-INF/services): a host
 * pinned by {@link PinnedAddresses} resolves to its checked addresses only; every other name goes
 * to the JDK's built-in resolver.
 */
public final class PinnedResolverProvider extends InetAddressResolverProvider {

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<InetAddress> pinned = PinnedAddresses.lookup(host);
                if (pinned == null) {
                    return builtin.lookupByName(host, policy);
                }
                int c = policy.characteristics();
                boolean v4 = (c & LookupPolicy.IPV4) != 0;
                boolean v6 = (c & LookupPolicy.IPV6) != 0;
                List<InetAddress> usable = pinned.stream()
                        .filter(a -> (a instanceof Inet4Address && v4) || (a instanceof Inet6Address && v6))
                        .toList();
                if (usable.isEmpty()) {
                    throw new UnknownHostException(host + ": no checked address of the requested family");
                }
                return usable.stream();
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "signet-pinned";
    }
}
