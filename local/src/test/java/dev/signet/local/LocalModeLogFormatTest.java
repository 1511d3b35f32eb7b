package dev.signet.local;

import dev.signet.core.log.Log;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Local mode's log lines are text on a terminal and JSON otherwise (piped, in CI, in a file), unless
 * SIGNET_LOG_FORMAT chooses; and the values it prints in export lines survive a shell.
 */
class LocalModeLogFormatTest {
    private static Log.Format format(Map<String, String> env, boolean terminal) {
        return LocalSignet.Options.parse(new String[0], env, terminal).logFormat();
    }

    @Test
    void textOnATerminalJsonOtherwise() {
        assertThat(format(Map.of(), true)).isEqualTo(Log.Format.TEXT);
        assertThat(format(Map.of(), false)).isEqualTo(Log.Format.JSON);
    }

    @Test
    void signetLogFormatChoosesEitherWay() {
        assertThat(format(Map.of("SIGNET_LOG_FORMAT", "json"), true)).isEqualTo(Log.Format.JSON);
        assertThat(format(Map.of("SIGNET_LOG_FORMAT", "TEXT"), false)).isEqualTo(Log.Format.TEXT);
        assertThatThrownBy(() -> format(Map.of("SIGNET_LOG_FORMAT", "yaml"), true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text or json");
    }

    @Test
    void exportedValuesAreQuotedOnlyWhenTheShellNeedsIt() {
        assertThat(LocalSignet.shellWord("http://127.0.0.1:8080")).isEqualTo("http://127.0.0.1:8080");
        assertThat(LocalSignet.shellWord("sgn_ik_Ab-9_x")).isEqualTo("sgn_ik_Ab-9_x");
        assertThat(LocalSignet.shellWord("my key's $HOME")).isEqualTo("'my key'\\''s $HOME'");
    }
}
