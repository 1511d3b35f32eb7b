package dev.signet.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNET_PORTAL_FRAME_ANCESTORS becomes part of a response header: only origins pass, anything that
 * could end the directive or add another (';', quotes, line breaks, paths) stops the function at start.
 */
class PortalFrameAncestorsSettingTest {
    private static SignetConfig with(String frameAncestors) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SIGNET_CONFIG_TABLE", "c", "SIGNET_EVENTS_TABLE", "e", "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1/q"));
        if (frameAncestors != null) {
            env.put("SIGNET_PORTAL_FRAME_ANCESTORS", frameAncestors);
        }
        return SignetConfig.from(env);
    }

    @Test
    void unsetOrBlankMeansNoFraming() {
        assertThat(with(null).portalFrameAncestors()).isEqualTo("'none'");
        assertThat(with("  ").portalFrameAncestors()).isEqualTo("'none'");
    }

    @Test
    void originsAreKeptSpaceSeparated() {
        assertThat(with(" https://app.example.com   https://*.example.org http://localhost:3000 'self' ").portalFrameAncestors())
                .isEqualTo("https://app.example.com https://*.example.org http://localhost:3000 'self'");
        assertThat(with("https://[2001:db8::1]:8443").portalFrameAncestors()).isEqualTo("https://[2001:db8::1]:8443");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://app.example.com; script-src *", "https://app.example.com/path", "*",
            "'unsafe-inline'", "javascript:", "https://a.example.com,https://b.example.com", "https://app.example.com\r\nx-evil: 1",
            "ftp://files.example.com", "https://"})
    void anythingButAnOriginStopsTheStart(String value) {
        assertThatThrownBy(() -> with(value)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIGNET_PORTAL_FRAME_ANCESTORS");
    }
}
