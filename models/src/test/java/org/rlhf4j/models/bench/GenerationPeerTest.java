package org.rlhf4j.models.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationPeerTest {

    @Test
    void requestIsOneJsonLine() {
        String request = GenerationPeer.request(List.of(new int[] {1, 403}, new int[] {1}), 32, true, 0.0, 1);

        assertThat(request).isEqualTo(
                "{\"prompts\":[[1,403],[1]],\"newTokens\":32,\"kvCache\":true,\"temperature\":0.0,\"seed\":1}");
    }

    @Test
    void parsesReadyLine() throws GenerationPeer.UnavailableException {
        GenerationPeer.Info info = GenerationPeer.parseReady(
                "{\"ready\": true, \"torch\": \"1.13.0a0\", \"threads\": 2, \"interopThreads\": 1}");

        assertThat(info).isEqualTo(new GenerationPeer.Info("1.13.0a0", 2, 1));
    }

    @Test
    void errorLineMakesThePeerUnavailable() {
        assertThatThrownBy(() -> GenerationPeer.parseReady("{\"error\": \"No module named 'torch'\"}"))
                .isInstanceOf(GenerationPeer.UnavailableException.class)
                .hasMessage("No module named 'torch'");
    }

    @Test
    void nonJsonReadyLineIsRejected() {
        assertThatThrownBy(() -> GenerationPeer.parseReady("Traceback (most recent call last):"))
                .isInstanceOf(GenerationPeer.UnavailableException.class)
                .hasMessageContaining("not JSON");
    }

    @Test
    void parsesRunLine() throws IOException {
        GenerationPeer.Run run = GenerationPeer.parseRun("{\"seconds\": 0.25, \"tokens\": [[5, 6], [7, 8]]}");

        assertThat(run.seconds()).isEqualTo(0.25);
        assertThat(run.tokens()).isDeepEqualTo(new int[][] {{5, 6}, {7, 8}});
    }

    @Test
    void runLineWithoutTokensIsRejected() {
        assertThatThrownBy(() -> GenerationPeer.parseRun("{\"seconds\": 0.25}"))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("lacks seconds or tokens");
    }

    @Test
    void missingInterpreterMakesThePeerUnavailable() {
        Path missing = Path.of("/nonexistent/python3");

        assertThatThrownBy(() -> GenerationPeer.start(missing, Path.of("model.gguf"), 1))
                .isInstanceOf(GenerationPeer.UnavailableException.class)
                .hasMessage("/nonexistent/python3 was not found");
    }

    @Test
    void firstDifferenceFindsTheFirstUnequalIndex() {
        assertThat(GenerationPeer.firstDifference(new int[] {1, 2, 3}, new int[] {1, 2, 3})).isEqualTo(-1);
        assertThat(GenerationPeer.firstDifference(new int[] {1, 2, 3}, new int[] {1, 9, 3})).isEqualTo(1);
        assertThat(GenerationPeer.firstDifference(new int[] {1, 2, 3}, new int[] {1, 2})).isEqualTo(2);
    }
}
