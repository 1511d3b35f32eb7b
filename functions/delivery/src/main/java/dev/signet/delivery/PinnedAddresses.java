package dev.signet.delivery;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host names pinned to the addresses the URL guard checked, while a webhook is being sent to them.
 * The JDK HTTP client resolves host names by itself; {@link PinnedResolverProvider} answers its
 * lookups from here, so the connection goes to an address that passed the guard and a DNS answer
 * that changes between the check and the connect (rebinding) is never used. TLS still sees the
 * real host name, so SNI and certificate checks are unchanged.
 */
final class PinnedAddresses {
    private static final Map<String, Pin> PINS = new ConcurrentHashMap<>();

    private PinnedAddresses() {
    }

    private record Pin(List<InetAddress> addresses, int holders) {
    }

    /** Pins {@code host} to {@code addresses} until the returned handle is closed. */
    static Handle pin(String host, List<InetAddress> addresses) {
        String key = host.toLowerCase(Locale.ROOT);
        // Concurrent sends to one host may pin different (all checked) answers: any of them may be used.
        PINS.compute(key, (k, pin) -> {
            if (pin == null) {
                return new Pin(List.copyOf(addresses), 1);
            }
            if (pin.addresses().containsAll(addresses)) {
                return new Pin(pin.addresses(), pin.holders() + 1); // the usual case: the same answer again
            }
            List<InetAddress> union = new ArrayList<>(pin.addresses());
            addresses.stream().filter(a -> !union.contains(a)).forEach(union::add);
            return new Pin(List.copyOf(union), pin.holders() + 1);
        });
        return () -> PINS.computeIfPresent(key, (k, pin) -> pin.holders() <= 1 ? null : new Pin(pin.addresses(), pin.holders() - 1));
    }

    /** The checked addresses of a host being sent to, or null when it is not pinned. */
    static List<InetAddress> lookup(String host) {
        Pin pin = PINS.get(host.toLowerCase(Locale.ROOT));
        return pin == null ? null : pin.addresses();
    }

    /** Ends a pin. */
    interface Handle extends AutoCloseable {
        @Override
        void close();
    }
}
