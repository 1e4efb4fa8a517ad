package org.rlhf4j.evaluation.rewardbench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RewardBenchSchemaTest {

    private final RewardBenchSchema v1 = RewardBenchSchema.v1();

    @Test
    void v1HasFourSectionsInTableOrder() {
        assertThat(v1.sections()).extracting(RewardBenchSchema.Section::name)
                .containsExactly("Chat", "Chat Hard", "Safety", "Reasoning");
    }

    @Test
    void v1HasTwentyThreeSubsets() {
        assertThat(v1.subsets()).hasSize(23);
    }

    @Test
    void v1SectionTotalsMatchPublishedCounts() {
        assertThat(v1.section("Chat").orElseThrow().totalExampleCount()).isEqualTo(358);
        assertThat(v1.section("Chat Hard").orElseThrow().totalExampleCount()).isEqualTo(456);
        assertThat(v1.section("Safety").orElseThrow().totalExampleCount()).isEqualTo(740);
        assertThat(v1.section("Reasoning").orElseThrow().totalExampleCount()).isEqualTo(984 + 6 * 164);
    }

    @Test
    void mathPrmWeighsLikeCodeSubsets() {
        int code = v1.section("Reasoning").orElseThrow().subsets().stream()
                .filter(subset -> subset.startsWith("hep-"))
                .mapToInt(v1::exampleCount)
                .sum();

        assertThat(v1.exampleCount("math-prm")).isEqualTo(984);
        assertThat(code).isEqualTo(984);
    }

    @Test
    void chatSubsetsHavePublishedCounts() {
        assertThat(v1.section("Chat").orElseThrow().exampleCounts()).containsExactly(
                Map.entry("alpacaeval-easy", 100), Map.entry("alpacaeval-length", 95),
                Map.entry("alpacaeval-hard", 95), Map.entry("mt-bench-easy", 28), Map.entry("mt-bench-med", 40));
    }

    @Test
    void llmBarSubsetsBelongToChatHard() {
        assertThat(v1.sectionOf("llmbar-adver-GPTOut")).map(RewardBenchSchema.Section::name).contains("Chat Hard");
        assertThat(v1.exampleCount("llmbar-adver-neighbor")).isEqualTo(134);
    }

    @Test
    void unknownSubsetHasNoSection() {
        assertThat(v1.contains("anthropic_helpful")).isFalse();
        assertThat(v1.sectionOf("anthropic_helpful")).isEmpty();
        assertThatThrownBy(() -> v1.exampleCount("anthropic_helpful"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("anthropic_helpful");
    }

    @Test
    void sourceNamesUpstreamCommit() {
        assertThat(v1.source()).contains("allenai/reward-bench@05a9005efb607249822c193590c8ecab87c77052");
    }

    @Test
    void resourceEqualsSharedCopy() throws IOException {
        Path shared = TestFiles.requireSharedData("rewardbench_subset_counts/rewardbench_v1_subsets.json");
        String resource;
        try (var in = RewardBenchSchema.class.getResourceAsStream(RewardBenchSchema.V1_RESOURCE)) {
            resource = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }

        assertThat(JsonParser.parseString(resource)).isEqualTo(JsonParser.parseString(Files.readString(shared)));
    }

    @Test
    void countedSubsetWithoutSectionIsRejected() {
        String json = "{\"EXAMPLE_COUNTS\": {\"a\": 1, \"b\": 2}, \"SUBSET_MAPPING\": {\"S\": [\"a\"]}}";

        assertThatThrownBy(() -> RewardBenchSchema.fromJson(new StringReader(json)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'b'");
    }

    @Test
    void mappedSubsetWithoutCountIsRejected() {
        String json = "{\"EXAMPLE_COUNTS\": {\"a\": 1}, \"SUBSET_MAPPING\": {\"S\": [\"a\", \"c\"]}}";

        assertThatThrownBy(() -> RewardBenchSchema.fromJson(new StringReader(json)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'c'");
    }

    @Test
    void fractionalCountIsRejected() {
        String json = "{\"EXAMPLE_COUNTS\": {\"a\": 1.5}, \"SUBSET_MAPPING\": {\"S\": [\"a\"]}}";

        assertThatThrownBy(() -> RewardBenchSchema.fromJson(new StringReader(json)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1.5");
    }

    @Test
    void subsetInTwoSectionsIsRejected() {
        List<RewardBenchSchema.Section> sections = List.of(
                new RewardBenchSchema.Section("A", Map.of("x", 1)),
                new RewardBenchSchema.Section("B", Map.of("x", 2)));

        assertThatThrownBy(() -> RewardBenchSchema.of("test", sections))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'x'");
    }

    @Test
    void zeroCountIsRejected() {
        assertThatThrownBy(() -> new RewardBenchSchema.Section("A", Map.of("x", 0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got 0");
    }
}
