package dev.signet.core.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SIGNET_PORTAL_ACCENT and SIGNET_PORTAL_PRODUCT_NAME end up in the portal's stylesheet and page:
 * only a #rrggbb colour and a plain name pass; anything that could close a rule, a tag or an
 * attribute stops the function at start.
 */
class PortalAccentAndProductNameSettingsTest {
    private static SignetConfig with(String accent, String name) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SIGNET_CONFIG_TABLE", "c", "SIGNET_EVENTS_TABLE", "e", "SIGNET_DELIVERY_QUEUE_URL", "http://127.0.0.1/q"));
        if (accent != null) {
            env.put("SIGNET_PORTAL_ACCENT", accent);
        }
        if (name != null) {
            env.put("SIGNET_PORTAL_PRODUCT_NAME", name);
        }
        return SignetConfig.from(env);
    }

    @Test
    void unsetOrBlankMeansSignetsOwnLook() {
        assertThat(with(null, null).portalAccent()).isNull();
        assertThat(with(" ", " ").portalProductName()).isNull();
    }

    @Test
    void aColourAndAPlainNameAreKept() {
        SignetConfig c = with(" #0B7A75 ", " Highgarden & Co. (EU) ");
        assertThat(c.portalAccent()).isEqualTo("#0b7a75");
        assertThat(c.portalProductName()).isEqualTo("Highgarden & Co. (EU)");
        assertThat(with(null, "Zürich Rechnungen").portalProductName()).isEqualTo("Zürich Rechnungen");
    }

    @ParameterizedTest
    @ValueSource(strings = {"red", "#0b7a7", "#0b7a75; } body { display: none", "#0b7a75ff", "rgb(1,2,3)", "url(x)", "#zzzzzz"})
    void anythingButARrggbbColourStopsTheStart(String value) {
        assertThatThrownBy(() -> with(value, null)).isInstanceOf(IllegalStateException.class).hasMessageContaining("SIGNET_PORTAL_ACCENT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"<script>alert(1)</script>", "Acme\" onload=\"x", "Acme\nInjected", "Acme{}", "Acme;", "Acme/Beta",
            "A name that is far too long to fit on one line of the portal"})
    void anythingButAPlainShortNameStopsTheStart(String value) {
        assertThatThrownBy(() -> with(null, value)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("SIGNET_PORTAL_PRODUCT_NAME");
    }
}
