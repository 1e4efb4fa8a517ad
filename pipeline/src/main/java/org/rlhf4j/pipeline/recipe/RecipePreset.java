package org.rlhf4j.pipeline.recipe;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A reward-model recipe as data: the training stages in order, their optimizer settings, the sequence
 * length and an optional ExPO step. Recipes are JSON files. {@link #load(Path)} validates every key and
 * rejects unknown ones, naming the key.
 *
 * <p>Two recipes are built in (see {@link #builtIn(String)}): {@code helpsteer2-preference-70b}, the
 * published HelpSteer2-Preference reward-model recipe for Llama 3.1 70B, and {@code cpu-small}, the same
 * chain sized for the bundled stories260K model on a laptop CPU.
 *
 * @param name recipe name
 * @param description one sentence on what the recipe trains
 * @param source where the numbers come from
 * @param baseModel the model the first stage starts from: {@code bundled:stories260K} or a model name
 *     that the caller resolves
 * @param maxLength longest sequence in tokens
 * @param optimizer AdamW and clipping settings shared by all stages
 * @param stages training stages in the order they run
 * @param extrapolation the ExPO step after the stages, or null
 */
public record RecipePreset(
        String name,
        String description,
        String source,
        String baseModel,
        int maxLength,
        OptimizerSettings optimizer,
        List<StageSettings> stages,
        ExtrapolationSettings extrapolation) {

    /** Names of the recipes shipped with rlhf4j. */
    public static final List<String> BUILT_IN = List.of("helpsteer2-preference-70b", "cpu-small");

    public RecipePreset {
        stages = List.copyOf(stages);
    }

    /** Returns the stage with the given name, if there is one. */
    public Optional<StageSettings> stage(String stageName) {
        return stages.stream().filter(stage -> stage.name().equals(stageName)).findFirst();
    }

    /**
     * Reads and validates a recipe file.
     *
     * @param file a JSON recipe
     * @return the recipe
     * @throws IOException when the file cannot be read
     * @throws RecipeFormatException when a key is missing, unknown, of the wrong type or out of range
     */
    public static RecipePreset load(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Returns a recipe shipped with rlhf4j.
     *
     * @param recipeName one of {@link #BUILT_IN}
     * @return the recipe
     * @throws IllegalArgumentException when no built-in recipe has that name
     */
    public static RecipePreset builtIn(String recipeName) {
        if (!BUILT_IN.contains(recipeName)) {
            throw new IllegalArgumentException("Unknown recipe '" + recipeName + "'. Use one of the built-in recipes " + BUILT_IN
                    + " or a path to a recipe JSON file");
        }
        String resource = recipeName + ".json";
        try (InputStream in = RecipePreset.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Built-in recipe resource " + resource + " is missing from the jar");
            }
            return parse("built-in recipe " + recipeName, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read built-in recipe " + resource, e);
        }
    }

    /**
     * Parses and validates recipe text.
     *
     * @param source name used in error messages, usually the file path
     * @param json the recipe text
     * @return the recipe
     */
    public static RecipePreset parse(String source, String json) {
        JsonElement root;
        try (Reader reader = new StringReader(json)) {
            JsonReader jsonReader = new JsonReader(reader);
            jsonReader.setStrictness(Strictness.STRICT);
            root = JsonParser.parseReader(jsonReader);
        } catch (JsonParseException | IOException e) {
            throw new RecipeFormatException(source, "", "invalid JSON: " + e.getMessage());
        }
        JsonFields fields = new JsonFields(source, "", root);
        String name = fields.string("name");
        String description = fields.optString("description", "");
        String origin = fields.optString("source", "");
        String baseModel = fields.string("base_model");
        int maxLength = fields.integer("max_length", 8, 1 << 20);
        OptimizerSettings optimizer = OptimizerSettings.read(fields.child("optimizer"));
        List<StageSettings> stages = readStages(fields);
        ExtrapolationSettings extrapolation = fields.has("extrapolation")
                ? ExtrapolationSettings.read(fields.child("extrapolation"))
                : null;
        fields.rejectUnknownKeys();
        RecipePreset recipe = new RecipePreset(name, description, origin, baseModel, maxLength, optimizer, stages,
                extrapolation);
        recipe.checkReferences(source);
        return recipe;
    }

    private static List<StageSettings> readStages(JsonFields fields) {
        JsonArray array = fields.array("stages");
        if (array.isEmpty()) {
            throw new RecipeFormatException(fields.source(), "stages", "expected at least one stage");
        }
        List<StageSettings> stages = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            stages.add(StageSettings.read(new JsonFields(fields.source(), "stages[" + i + "]", array.get(i))));
        }
        return stages;
    }

    private void checkReferences(String source) {
        Set<String> earlier = new HashSet<>();
        for (int i = 0; i < stages.size(); i++) {
            StageSettings stage = stages.get(i);
            if (stage.initFrom() != null && !earlier.contains(stage.initFrom())) {
                throw new RecipeFormatException(source, "stages[" + i + "].init_from",
                        "'" + stage.initFrom() + "' is not the name of an earlier stage; earlier stages are " + earlier);
            }
            if (!earlier.add(stage.name())) {
                throw new RecipeFormatException(source, "stages[" + i + "].name",
                        "stage name '" + stage.name() + "' is used twice");
            }
        }
        if (extrapolation != null) {
            for (String end : List.of(extrapolation.weak(), extrapolation.strong())) {
                if (!earlier.contains(end)) {
                    throw new RecipeFormatException(source, "extrapolation",
                            "'" + end + "' is not the name of a stage; stages are " + earlier);
                }
            }
        }
    }
}
