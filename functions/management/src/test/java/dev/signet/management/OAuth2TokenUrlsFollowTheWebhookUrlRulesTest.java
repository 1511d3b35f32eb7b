package dev.signet.management;

import dev.signet.api.ApiException;
import dev.signet.api.ApiRequest;
import dev.signet.core.endpoint.OutboundAuth;
import dev.signet.core.urlguard.UrlGuard;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An OAuth2 endpoint's {@code token_url} is held to the webhook URL's rules when saved (openapi.yaml,
 * endpoints): outside local mode https only, and a host resolving to a private address is refused, each
 * a 400 naming {@code auth.token_url} that never echoes the client secret.
 */
class OAuth2TokenUrlsFollowTheWebhookUrlRulesTest {
    /** As deployed: https only, no private ranges; auth.example.com is public, auth.internal.test private. */
    private static final UrlGuard PRODUCTION = new UrlGuard(false, List.of(), host -> {
        try {
            byte[] address = host.equals("auth.internal.test") ? new byte[] {10, 0, 0, 5} : new byte[] {93, (byte) 184, (byte) 216, 34};
            return new InetAddress[] {InetAddress.getByAddress(host, address)};
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    });

    @Test
    void aPublicHttpsTokenUrlIsAccepted() {
        OutboundAuth auth = EndpointInput.auth(body("https://auth.example.com/oauth/token"), PRODUCTION);

        assertThat(auth).isInstanceOfSatisfying(OutboundAuth.OAuth2.class, o -> {
            assertThat(o.credentials().tokenUrl()).isEqualTo("https://auth.example.com/oauth/token");
            assertThat(o.credentials().scope()).isEqualTo("webhooks:write");
        });
        assertThat(auth.toString()).doesNotContain("cs-never-echoed-5150");
    }

    @Test
    void plainHttpIsRefusedOutsideLocalMode() {
        assertThatThrownBy(() -> EndpointInput.auth(body("http://auth.example.com/oauth/token"), PRODUCTION))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.field()).isEqualTo("auth.token_url");
                    assertThat(e.getMessage()).contains("https").doesNotContain("cs-never-echoed-5150");
                });
    }

    @Test
    void aTokenUrlOnAPrivateAddressIsRefused() {
        assertThatThrownBy(() -> EndpointInput.auth(body("https://auth.internal.test/oauth/token"), PRODUCTION))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.field()).isEqualTo("auth.token_url");
                    assertThat(e.getMessage()).doesNotContain("cs-never-echoed-5150");
                });
    }

    private static Body body(String tokenUrl) {
        String json = "{\"auth\":{\"type\":\"oauth2_client_credentials\",\"token_url\":\"" + tokenUrl + "\",\"client_id\":\"signet\","
                + "\"client_secret\":\"cs-never-echoed-5150\",\"scope\":\"webhooks:write\"}}";
        return Body.of(new ApiRequest("POST", "/v1/workspaces/ws/endpoints", Map.of(), Map.of(), json.getBytes(StandardCharsets.UTF_8), "req"),
                EndpointInput.CREATE_FIELDS);
    }
}
