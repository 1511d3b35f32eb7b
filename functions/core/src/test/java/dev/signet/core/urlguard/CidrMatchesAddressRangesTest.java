package dev.signet.core.urlguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ranges an operator names (SIGNET_ALLOW_PRIVATE_CIDRS) match exactly the addresses they say. */
class CidrMatchesAddressRangesTest {

    private static byte[] ip(String literal) {
        return InetAddress.ofLiteral(literal).getAddress();
    }

    @Test
    void aByteAlignedPrefixMatchesItsRange() {
        Cidr ten = Cidr.parse("10.0.0.0/8");

        assertThat(ten.contains(ip("10.0.0.0"))).isTrue();
        assertThat(ten.contains(ip("10.255.255.255"))).isTrue();
        assertThat(ten.contains(ip("11.0.0.0"))).isFalse();
        assertThat(ten.contains(ip("9.255.255.255"))).isFalse();
    }

    @Test
    void aPrefixInsideAByteMatchesItsRange() {
        Cidr twelve = Cidr.parse("172.16.0.0/12");

        assertThat(twelve.contains(ip("172.16.0.0"))).isTrue();
        assertThat(twelve.contains(ip("172.31.255.255"))).isTrue();
        assertThat(twelve.contains(ip("172.15.255.255"))).isFalse();
        assertThat(twelve.contains(ip("172.32.0.0"))).isFalse();

        Cidr cgnat = Cidr.parse("100.64.0.0/10");
        assertThat(cgnat.contains(ip("100.127.255.255"))).isTrue();
        assertThat(cgnat.contains(ip("100.128.0.0"))).isFalse();
    }

    @Test
    void hostAndWholeSpacePrefixes() {
        assertThat(Cidr.parse("192.0.2.7/32").contains(ip("192.0.2.7"))).isTrue();
        assertThat(Cidr.parse("192.0.2.7/32").contains(ip("192.0.2.8"))).isFalse();
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
    }

    @Test
    void ipv6RangesMatchIpv6AddressesOnly() {
        Cidr ula = Cidr.parse("fc00::/7");

        assertThat(ula.contains(ip("fd00:ec2::254"))).isTrue();
        assertThat(ula.contains(ip("fc00::1"))).isTrue();
        assertThat(ula.contains(ip("fe00::1"))).isFalse();
        assertThat(ula.contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("10.0.0.0/8").contains(ip("fd00::1"))).isFalse();
    }

    @Test
    void theTextIsKeptForMessages() {
        assertThat(Cidr.parse("169.254.0.0/16")).hasToString("169.254.0.0/16");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "::/129", "10.0.0.0/x", "10.0.0.0/", "example.com/8",
            "localhost/32", "10.0.0.0 /8 /8"})
    void aMalformedRangeIsRefused(String text) {
        assertThatThrownBy(() -> Cidr.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("CIDR \"" + text + "\"");
    }
}
