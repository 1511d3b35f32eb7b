package dev.signet.core.urlguard;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** openapi.yaml, endpoints: an ordinary public https URL is accepted, whatever its port, path, query or host spelling. */
class PublicWebhookUrlsAreAcceptedTest {
    private final FakeDns dns = FakeDns.standard();
    private final UrlGuard guard = new UrlGuard(false, List.of(), dns);

    @ParameterizedTest
    @ValueSource(strings = {
            "https://example.com/",
            "https://example.com",
            "https://example.com:8443/",
            "https://example.com/signet/webhook",
            "https://example.com/hooks?team=billing&env=prod",
            "https://example.com:443/a/b/c?x=1&y=%20z",
            "HTTPS://example.com/path",
            "https://hooks.example.com/signet",
            "https://v6only.example/",
            "https://dual.example/x?y",
            "https://93.184.216.34/",
            "https://8.8.8.8:8443/hook",
            "https://172.32.0.1/",
            "https://100.128.0.1/",
            "https://11.0.0.1/"})
    void aPublicUrlIsAccepted(String url) {
        assertThat(guard.check(url)).isNotEmpty();
    }

    /** The URL the client sends to: the host in the one spelling that was checked, the rest unchanged. */
    @ParameterizedTest
    @CsvSource({
            "https://EXAMPLE.com./hook?x=1, https://example.com/hook?x=1",
            "https://example.com:8443/a%20b, https://example.com:8443/a%20b",
            "https://bücher.example/hook, https://xn--bcher-kva.example/hook",
            "https://1572395042/, https://93.184.216.34/",
            "https://0x5db8d822:8443/x, https://93.184.216.34:8443/x",
            "https://93.184.55330/, https://93.184.216.34/",
            "https://[2606:4700:4700:0::1111]/, https://[2606:4700:4700:0:0:0:0:1111]/"})
    void theCheckedSpellingIsTheOneSent(String url, String sent) {
        assertThat(guard.target(url).uri()).hasToString(sent);
    }

    @Test
    void theCheckReturnsEveryResolvedAddress() {
        List<InetAddress> addresses = guard.check("https://dual.example/");

        assertThat(addresses).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946");
    }

    @Test
    void aPublicIpv6AnswerIsAccepted() {
        assertThat(guard.check("https://v6only.example/")).extracting(InetAddress::getHostAddress)
                .containsExactly("2606:4700:4700:0:0:0:0:1111");
    }

    @Test
    void aTrailingDotIsTheSameHost() {
        assertThat(guard.check("https://example.com./hook")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.34");
        assertThat(dns.asked).containsExactly("example.com");
    }

    @Test
    void checkSyntaxKeepsPortPathAndQuery() {
        URI uri = guard.checkSyntax("https://hooks.example.com:8443/signet/in?team=billing&x=%2F");

        assertThat(uri.getHost()).isEqualTo("hooks.example.com");
        assertThat(uri.getPort()).isEqualTo(8443);
        assertThat(uri.getRawPath()).isEqualTo("/signet/in");
        assertThat(uri.getRawQuery()).isEqualTo("team=billing&x=%2F");
        assertThat(dns.asked).isEmpty();
    }

    @Test
    void aUrlOfExactly2048CharactersIsAccepted() {
        String base = "https://example.com/";
        String url = base + "a".repeat(2048 - base.length());

        assertThat(guard.check(url)).isNotEmpty();
    }

    @Test
    void anAsciiPunycodeHostIsResolvedAsIs() {
        assertThat(guard.check("https://xn--bcher-kva.example/")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.40");
        assertThat(dns.asked).containsExactly("xn--bcher-kva.example");
    }

    @Test
    void anInternationalisedHostIsResolvedAsItsPunycodeName() {
        assertThat(guard.check("https://bücher.example/")).extracting(InetAddress::getHostAddress)
                .containsExactly("93.184.216.40");
        assertThat(dns.asked).containsExactly("xn--bcher-kva.example");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://[2606:4700:4700::1111]/", "https://[2001:4860:4860::8888]:8443/hook?x=1"})
    void aPublicIpv6LiteralIsAccepted(String url) {
        assertThat(guard.check(url)).isNotEmpty();
    }
}
