package dev.signet.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNET_EGRESS_IPS (template parameter EgressIps, or the StaticEgress NAT addresses) is what
 * GET /v1/egress shows receivers to allowlist: only IP addresses pass; anything else stops the function
 * at start with a message naming the setting and the bad value.
 */
class EgressAddressesSettingTest {
    private static SignetConfig with(String ips) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SIGNET_CONFIG_TABLE", "c", "SIGNET_EVENTS_TABLE", "e", "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1/q"));
        if (ips != null) {
            env.put("SIGNET_EGRESS_IPS", ips);
        }
        return SignetConfig.from(env);
    }

    @Test
    void unsetOrBlankMeansNone() {
        assertThat(with(null).egressIps()).isEmpty();
        assertThat(with(" ").egressIps()).isEmpty();
        // CloudFormation's Join of an empty list, or a trailing comma, is no address either.
        assertThat(with(",").egressIps()).isEmpty();
    }

    @Test
    void addressesAreKeptInOrderOnceEach() {
        assertThat(with("203.0.113.7, 198.51.100.20 2001:db8::7,203.0.113.7,").egressIps())
                .containsExactly("203.0.113.7", "198.51.100.20", "2001:db8::7");
        assertThat(with("0.0.0.0,255.255.255.255").egressIps()).containsExactly("0.0.0.0", "255.255.255.255");
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113", "203.0.113.256", "203.0.113.07", "203.0.113.7/32", "nat.example.com",
            "2001:db8::7::1", "2001:db8::zz", "[2001:db8::7]", "fe80::1%eth0", "203.0.113.7;rm"})
    void anythingButAnAddressStopsTheFunctionNamingIt(String bad) {
        assertThatThrownBy(() -> with("198.51.100.20," + bad)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIGNET_EGRESS_IPS").hasMessageContaining("\"" + bad + "\"");
    }
}
