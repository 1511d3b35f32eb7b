package dev.signet.core.urlguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * openapi.yaml, endpoints; README, local mode: "A local development deployment may allow http and named private ranges by
 * explicit configuration"; local mode allows http and 127.0.0.0/8, and nothing else private.
 */
class LocalModeAllowsOnlyConfiguredPrivateRangesTest {
    private final FakeDns dns = FakeDns.standard();
    private final UrlGuard local = new UrlGuard(true, List.of("127.0.0.0/8"), dns);

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/x", "http://127.0.0.1/", "https://127.0.0.1:8443/hook",
            "http://127.10.20.30:9000/", "http://loopback.test:8080/in", "http://mapped-loopback.test/"})
    void loopbackOverHttpIsAccepted(String url) {
        assertThat(local.check(url)).extracting(InetAddress::getHostAddress).allMatch(a -> a.startsWith("127."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://10.0.0.1/", "http://192.168.0.1:8080/", "http://169.254.169.254/latest/meta-data/",
            "http://172.16.0.1/", "http://ten.test/", "http://metadata-v6.test/", "http://localhost/"})
    void otherPrivateAddressesAreStillRefused(String url) {
        assertThatThrownBy(() -> local.check(url))
                .isInstanceOf(UrlGuard.BlockedUrlException.class)
                .hasMessageContaining("which webhooks may not reach");
    }

    @Test
    void localhostIsRefusedBecauseItAlsoResolvesToTheUnallowedIpv6Loopback() {
        assertThatThrownBy(() -> local.check("http://localhost:8080/"))
                .hasMessageContaining("non-public address")
                .satisfies(e -> assertThat(((UrlGuard.BlockedUrlException) e).detail()).contains("0:0:0:0:0:0:0:1"));
    }

    /** Local mode's own ports (its API, the emulators) are refused on every loopback spelling, and only there. */
    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:4566/", "http://127.0.0.2:4566/x", "http://loopback.test:9324/000000000000/q",
            "http://mapped-loopback.test:8080/", "http://2130706433:8080/"})
    void localModesOwnPortsAreRefused(String url) {
        UrlGuard ownPorts = new UrlGuard(true, List.of("127.0.0.0/8"), java.util.Set.of(4566, 9324, 8080), dns);
        assertThatThrownBy(() -> ownPorts.check(url)).isInstanceOf(UrlGuard.BlockedUrlException.class)
                .hasMessageContaining("local mode's own ports");
        assertThat(ownPorts.check("http://127.0.0.1:9000/")).as("another loopback port").isNotEmpty();
        assertThat(ownPorts.check("http://example.com:8080/")).as("a public host on the same port").isNotEmpty();
    }

    @Test
    void publicUrlsStillWorkInLocalMode() {
        assertThat(local.check("http://example.com/")).isNotEmpty();
        assertThat(local.check("https://example.com/")).isNotEmpty();
    }

    @Test
    void theSchemeMessageMentionsHttpWhenItIsAllowed() {
        assertThatThrownBy(() -> local.check("ftp://127.0.0.1/"))
                .isInstanceOf(UrlGuard.BlockedUrlException.class)
                .hasMessage("url must start with https:// or http://");
        assertThat(local.allowsHttp()).isTrue();
    }

    @Test
    void allowingARangeDoesNotAllowHttp() {
        UrlGuard httpsOnly = new UrlGuard(false, List.of("127.0.0.0/8"), dns);

        assertThatThrownBy(() -> httpsOnly.check("http://127.0.0.1:8080/x"))
                .hasMessage("url must start with https://");
        assertThat(httpsOnly.check("https://127.0.0.1:8443/x")).isNotEmpty();
        assertThat(httpsOnly.allowsHttp()).isFalse();
    }

    @Test
    void allowingHttpDoesNotAllowLoopback() {
        UrlGuard httpNoRanges = new UrlGuard(true, List.of(), dns);

        assertThatThrownBy(() -> httpNoRanges.check("http://127.0.0.1:8080/x"))
                .hasMessageContaining("127.0.0.1");
    }

    @Test
    void anAllowedRangeCanBeAnIpv6Range() {
        UrlGuard v6 = new UrlGuard(true, List.of("::1/128"), dns);

        assertThat(v6.check("http://v6-loopback.test/")).isNotEmpty();
        assertThatThrownBy(() -> v6.check("http://127.0.0.1/")).isInstanceOf(UrlGuard.BlockedUrlException.class);
    }
}
