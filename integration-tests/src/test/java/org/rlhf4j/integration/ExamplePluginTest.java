package org.rlhf4j.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rlhf4j.api.data.DataFormatException;
import org.rlhf4j.api.data.DataSource;
import org.rlhf4j.api.data.PreferencePair;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.api.data.RecordKind;
import org.rlhf4j.api.data.RecordReader;
import org.rlhf4j.api.data.Turn;
import org.rlhf4j.api.loss.PairwiseRewards;
import org.rlhf4j.api.loss.RewardLoss;
import org.rlhf4j.plugins.PluginDescriptor;
import org.rlhf4j.plugins.PluginDiscovery;
import org.rlhf4j.plugins.PluginKind;
import org.rlhf4j.plugins.PluginRegistry;

/** The example plugin jar, loaded from a plugin folder, used through the registry and the command line. */
class ExamplePluginTest {

    @TempDir
    Path pluginFolder;

    @TempDir
    Path work;

    @Test
    void registryListsBothPlugins() throws IOException {
        Path jar = ExamplePlugin.install(pluginFolder, "example-plugin.jar");

        PluginRegistry registry = discover();

        PluginDescriptor hinge = registry.descriptor(PluginKind.REWARD_LOSS, "hinge");
        assertThat(hinge.moduleName()).isEqualTo(ExamplePlugin.MODULE);
        assertThat(hinge.origin()).isEqualTo(PluginDescriptor.Origin.PLUGIN_FOLDER);
        assertThat(hinge.location()).isEqualTo(jar.toString());
        PluginDescriptor tsv = registry.descriptor(PluginKind.DATA_SOURCE, "tsv-pairs");
        assertThat(tsv.moduleName()).isEqualTo(ExamplePlugin.MODULE);
        assertThat(registry.names(PluginKind.REWARD_LOSS)).contains("bt", "hinge", "scaled-bt");
        assertThat(registry.problems()).isEmpty();
    }

    @Test
    void pluginsCommandListsBothPlugins() throws IOException {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");

        Cli.Result result = Cli.run("plugins", "--plugin-dir", pluginFolder.toString());

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).containsPattern("(?m)^hinge +reward-loss +com\\.example\\.rlhf4j\\.plugin ");
        assertThat(result.out()).containsPattern("(?m)^tsv-pairs +data-source +com\\.example\\.rlhf4j\\.plugin ");
    }

    @Test
    void hingeLossAveragesMargins() throws IOException {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        RewardLoss hinge = discover().rewardLoss("hinge");

        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray chosen = manager.create(new float[] {2f, 0.5f, 0f});
            NDArray rejected = manager.create(new float[] {0f, 0f, 1f});
            NDArray magnitude = manager.ones(chosen.getShape());

            float loss = hinge.compute(new PairwiseRewards(chosen, rejected, magnitude)).getFloat();

            // margins 2, 0.5, -1 give max(0, 1 - margin) = 0, 0.5, 2, mean 2.5 / 3
            assertThat(loss).isCloseTo(0.8333333f, within(1e-6f));
        }
    }

    @Test
    void tsvPairsReadsFixture() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        DataSource<?> source = discover().dataSource("tsv-pairs");

        assertThat(source.kind()).isEqualTo(RecordKind.PREFERENCE_PAIRS);
        List<PreferencePair> pairs = readPairs(source, fixture(), ReadOptions.strict());

        assertThat(pairs).hasSize(20);
        PreferencePair first = pairs.get(0);
        assertThat(first.id()).isEqualTo("2");
        assertThat(first.prompt()).containsExactly(Turn.user("Tell me a story about a cat."));
        assertThat(first.chosen()).isEqualTo("The cat found a warm spot in the sun and slept all day.");
        assertThat(first.rejected()).isEqualTo("cat cat cat cat");
        assertThat(first.magnitude()).isEqualTo(1.0);
    }

    @Test
    void tsvPairsUnescapesAndCounts() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        Path file = Files.writeString(work.resolve("small.tsv"),
                "Line one\\nline two\tA\\tB\tC\\\\D\n\nsame\tx\tx\n");
        DataSource<?> source = discover().dataSource("tsv-pairs");

        RecordReader<?> reader = source.open(file, ReadOptions.strict());
        List<?> records = reader.readAll();

        assertThat(records).hasSize(1);
        PreferencePair pair = (PreferencePair) records.get(0);
        assertThat(pair.prompt().get(0).text()).isEqualTo("Line one\nline two");
        assertThat(pair.chosen()).isEqualTo("A\tB");
        assertThat(pair.rejected()).isEqualTo("C\\D");
        assertThat(reader.stats().blank()).isEqualTo(1);
        assertThat(reader.stats().dropped("identical")).isEqualTo(1);
    }

    @Test
    void tsvPairsRejectsMissingField() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        Path file = Files.writeString(work.resolve("bad.tsv"), "p\tc\tr\nonly\ttwo\n");
        DataSource<?> source = discover().dataSource("tsv-pairs");

        assertThatThrownBy(() -> source.open(file, ReadOptions.strict()).readAll())
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + ":2")
                .hasMessageContaining("expected 3 tab-separated fields (prompt, chosen, rejected), found 2");
    }

    @Test
    void tsvPairsSkipsMalformedWhenLenient() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        Path file = Files.writeString(work.resolve("bad.tsv"), "p\t\tr\nonly\ttwo\nq\tc\tr\n");
        DataSource<?> source = discover().dataSource("tsv-pairs");

        RecordReader<?> reader = source.open(file, ReadOptions.lenient());
        List<?> records = reader.readAll();

        assertThat(records).hasSize(1);
        assertThat(reader.stats().dropped("malformed")).isEqualTo(2);
    }

    @Test
    void tsvPairsRejectsOverlongLine() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        Path file = Files.writeString(work.resolve("long.tsv"), "p\tc\t" + "r".repeat(100) + "\n");
        DataSource<?> source = discover().dataSource("tsv-pairs");

        assertThatThrownBy(() -> source.open(file, ReadOptions.strict().withMaxLineChars(50)).readAll())
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(file + ":1")
                .hasMessageContaining("longer than the limit of 50 characters");
    }

    @Test
    void trainRewardUsesPluginLossAndSource() throws Exception {
        ExamplePlugin.install(pluginFolder, "example-plugin.jar");
        Path out = work.resolve("run");

        Cli.Result result = Cli.run("train-reward", "--data", fixture().toString(), "--format", "tsv-pairs",
                "--loss", "hinge", "--plugin-dir", pluginFolder.toString(), "--out", out.toString(),
                "--max-steps", "2", "--batch", "4", "--micro-batch", "2", "--max-length", "64");

        assertThat(result.exitCode()).as(result.err()).isZero();
        JsonObject metrics = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
        assertThat(metrics.get("loss").getAsString()).isEqualTo("hinge");
        assertThat(metrics.get("format").getAsString()).isEqualTo("tsv-pairs");
        assertThat(metrics.get("steps").getAsInt()).isEqualTo(2);
        // the split keeps some of the 20 pairs for evaluation
        assertThat(metrics.get("pairs").getAsInt() + metrics.get("held_out_pairs").getAsInt()).isEqualTo(20);
        assertThat(Double.isFinite(metrics.get("loss_last").getAsDouble())).isTrue();
    }

    private PluginRegistry discover() {
        return PluginDiscovery.builder().optPluginFolder(pluginFolder).build().discover();
    }

    @SuppressWarnings("unchecked")
    private static List<PreferencePair> readPairs(DataSource<?> source, Path file, ReadOptions options)
            throws IOException {
        RecordReader<PreferencePair> reader = (RecordReader<PreferencePair>) source.open(file, options);
        return reader.readAll();
    }

    private static Path fixture() throws URISyntaxException {
        return Path.of(ExamplePluginTest.class.getResource("/pairs.tsv").toURI());
    }
}
