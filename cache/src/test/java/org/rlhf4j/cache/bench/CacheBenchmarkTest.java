package org.rlhf4j.cache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.models.BundledModels;

class CacheBenchmarkTest {

    private static final String PAIRS = "datasets/instruction-preference/instruction-data-with-preference.json";

    @Test
    void writesBothReports(@TempDir Path dir) throws IOException {
        Optional<Path> data = BundledModels.find(PAIRS);
        Assumptions.assumeTrue(data.isPresent(), "instruction-preference pairs not found under bundled/" + PAIRS);
        Assumptions.assumeTrue(BundledModels.stories260K().isPresent(), "stories260K.gguf not found under bundled/");

        CacheBenchmark.main(new String[] {dir.toString(), "--data", data.get().toString(),
            "--source", "instruction-preference", "--max-length", "192", "--warmups", "0", "--repeats", "1"});

        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("cache-benchmark.json")))
                .getAsJsonObject();
        assertThat(json.get("pairs").getAsInt()).isEqualTo(1094);
        assertThat(json.get("maxLength").getAsInt()).isEqualTo(192);
        assertThat(json.getAsJsonObject("reload").getAsJsonArray("millis")).hasSize(1);
        assertThat(json.get("cacheBytes").getAsLong()).isPositive();
        assertThat(Files.readString(dir.resolve("cache-benchmark.md"))).contains("| **Reload total** |");
        assertThat(dir.resolve("cache")).isDirectoryContaining("glob:**.arrow");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> BenchmarkSettings.parse(new String[] {"out", "--speed", "9"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--speed");
    }

    @Test
    void missingOutputFolderShowsUsage() {
        assertThatThrownBy(() -> BenchmarkSettings.parse(new String[] {"--repeats", "3"}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Usage: CacheBenchmark");
    }
}
