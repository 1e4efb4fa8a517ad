package org.rlhf4j.evaluation.rewardbench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.List;
import java.util.OptionalDouble;

/** Builds the JSON tree of a {@link RewardBenchReport}. */
final class RewardBenchJson {

    private final RewardBenchSchema schema;

    RewardBenchJson(RewardBenchSchema schema) {
        this.schema = schema;
    }

    JsonObject report(List<RewardBenchResult> rows) {
        JsonObject root = new JsonObject();
        root.addProperty("benchmark", "RewardBench");
        root.addProperty("schema_source", schema.source());
        JsonObject method = new JsonObject();
        method.addProperty("accuracy", "strict: chosen > rejected; ties count as misses");
        method.addProperty("section_score", "mean of subset accuracies weighted by published example counts");
        method.addProperty("overall", "unweighted mean of the section scores");
        root.add("method", method);
        JsonArray array = new JsonArray();
        rows.forEach(row -> array.add(row(row)));
        root.add("rows", array);
        return root;
    }

    private JsonObject row(RewardBenchResult row) {
        JsonObject object = new JsonObject();
        object.addProperty("model_type", row.modelType());
        object.addProperty("variant", row.variant());
        object.add("overall", number(row.overall()));
        object.addProperty("complete", row.isComplete());
        object.add("absent_sections", strings(row.absentSections()));
        object.addProperty("pairs", row.pairs());
        object.addProperty("ties", row.ties());
        JsonArray sections = new JsonArray();
        row.sections().forEach(section -> sections.add(section(section)));
        object.add("sections", sections);
        object.add("unknown_subsets", subsets(row.unknownSubsets()));
        return object;
    }

    private JsonObject section(SectionScore section) {
        JsonObject object = new JsonObject();
        object.addProperty("name", section.name());
        object.add("score", number(section.score()));
        object.addProperty("complete", section.isComplete());
        object.addProperty("present_example_count", section.presentExampleCount());
        object.addProperty("total_example_count", section.totalExampleCount());
        object.add("missing_subsets", strings(section.missingSubsets()));
        object.add("subsets", subsets(section.subsets()));
        return object;
    }

    private JsonArray subsets(List<SubsetScore> scores) {
        JsonArray array = new JsonArray();
        for (SubsetScore score : scores) {
            JsonObject object = new JsonObject();
            object.addProperty("subset", score.subset());
            object.addProperty("accuracy", score.accuracy());
            object.addProperty("pairs", score.pairs());
            object.addProperty("correct", score.correct());
            object.addProperty("ties", score.ties());
            if (schema.contains(score.subset())) {
                object.addProperty("example_count", schema.exampleCount(score.subset()));
            }
            array.add(object);
        }
        return array;
    }

    private static JsonArray strings(List<String> values) {
        JsonArray array = new JsonArray();
        values.forEach(array::add);
        return array;
    }

    private static JsonElement number(OptionalDouble value) {
        return value.isPresent() ? new JsonPrimitive(value.getAsDouble()) : JsonNull.INSTANCE;
    }
}
