package org.rlhf4j.algorithms.checkpoint;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rlhf4j.algorithms.optim.LearningRateSchedule;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.RewardTrainerConfig;
import org.rlhf4j.algorithms.reward.TruncationMode;

/** Converts a {@link CheckpointManifest} and its file checksums to and from {@code manifest.json}. */
final class ManifestJson {

    static final String FORMAT = "rlhf4j-reward-training-checkpoint";
    static final int FORMAT_VERSION = 1;
    static final String MODEL_FILE = "model.safetensors";
    static final String OPTIMIZER_FILE = "optimizer.safetensors";

    private ManifestJson() {}

    /** A parsed manifest with the recorded size and SHA-256 of each tensor file. */
    record Parsed(CheckpointManifest manifest, Map<String, FileDigest> files) {}

    static String toJson(CheckpointManifest manifest, Map<String, FileDigest> files) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("format_version", FORMAT_VERSION);
        root.addProperty("step", manifest.step());
        JsonObject model = new JsonObject();
        model.addProperty("file", MODEL_FILE);
        root.add("model", model);
        JsonObject optimizer = new JsonObject();
        optimizer.addProperty("type", "adamw");
        optimizer.addProperty("file", OPTIMIZER_FILE);
        optimizer.addProperty("step_count", manifest.step());
        root.add("optimizer", optimizer);
        JsonObject scheduler = toJson(scheduleSettings(manifest.schedule()));
        scheduler.addProperty("last_step", manifest.step());
        scheduler.addProperty("last_learning_rate", manifest.learningRate());
        root.add("scheduler", scheduler);
        root.add("rng", rngJson(manifest.rng()));
        root.add("data", dataJson(manifest.data(), manifest.position()));
        root.add("trainer_config", toJson(settings(manifest.config())));
        JsonObject fileSection = new JsonObject();
        files.forEach((name, digest) -> {
            JsonObject entry = new JsonObject();
            entry.addProperty("bytes", digest.bytes());
            entry.addProperty("sha256", digest.sha256());
            fileSection.add(name, entry);
        });
        root.add("files", fileSection);
        return new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n";
    }

    private static JsonObject rngJson(RngState rng) {
        JsonObject batchOrder = new JsonObject();
        batchOrder.addProperty("generator", rng.generator());
        batchOrder.addProperty("seed", rng.seed());
        batchOrder.addProperty("epoch", rng.epoch());
        JsonObject json = new JsonObject();
        json.add("batch_order", batchOrder);
        return json;
    }

    private static JsonObject dataJson(DataFingerprint data, DataPosition position) {
        JsonObject json = new JsonObject();
        json.addProperty("pairs", data.pairs());
        json.addProperty("sha256", data.sha256());
        json.addProperty("epoch", position.epoch());
        json.addProperty("batch", position.batch());
        json.addProperty("steps_per_epoch", position.stepsPerEpoch());
        json.addProperty("batches_per_epoch", position.batchesPerEpoch());
        return json;
    }

    /**
     * Returns the schedule parameters by their manifest key, in a fixed order. Two schedules with
     * equal maps give the same learning rate at every step.
     */
    static Map<String, Object> scheduleSettings(LearningRateSchedule schedule) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("kind", schedule.kind().name().toLowerCase(Locale.ROOT));
        values.put("peak_learning_rate", schedule.peak());
        values.put("warmup_steps", schedule.warmupSteps());
        values.put("total_steps", schedule.totalSteps());
        values.put("min_learning_rate", schedule.minimum());
        return values;
    }

    /** Returns every trainer setting by its manifest key, in a fixed order. */
    static Map<String, Object> settings(RewardTrainerConfig config) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("learning_rate", config.learningRate());
        values.put("warmup_steps", config.warmupSteps());
        values.put("schedule", config.schedule().name().toLowerCase(Locale.ROOT));
        values.put("min_learning_rate", config.minLearningRate());
        values.put("weight_decay", config.weightDecay());
        values.put("beta1", config.beta1());
        values.put("beta2", config.beta2());
        values.put("epsilon", config.epsilon());
        values.put("max_grad_norm", config.maxGradNorm());
        values.put("global_batch_pairs", config.globalBatchPairs());
        values.put("micro_batch_pairs", config.microBatchPairs());
        values.put("epochs", config.epochs());
        values.put("max_steps", config.maxSteps());
        values.put("max_length", config.maxLength());
        values.put("truncation_mode", config.truncationMode().name().toLowerCase(Locale.ROOT));
        values.put("padding_side", config.paddingSide().name().toLowerCase(Locale.ROOT));
        values.put("pad_token_id", config.padTokenId());
        values.put("seed", config.seed());
        values.put("log_every", config.logEvery());
        values.put("bucket_batches", config.bucketBatches());
        return values;
    }

    private static JsonObject toJson(Map<String, Object> values) {
        JsonObject json = new JsonObject();
        values.forEach((key, value) -> json.add(key, value instanceof Number number ? new JsonPrimitive(number)
                : new JsonPrimitive(value.toString())));
        return json;
    }

    /**
     * Parses {@code manifest.json}.
     *
     * @throws CorruptCheckpointException naming the file and the missing or invalid field
     */
    static Parsed parse(Path file, String text) throws CorruptCheckpointException {
        Fields fields = new Fields(file);
        JsonObject root;
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw new CorruptCheckpointException(file, "is not a JSON object");
            }
            root = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new CorruptCheckpointException(file, "is not valid JSON: " + e.getMessage());
        }
        String format = fields.string(root, "", "format");
        long version = fields.integer(root, "", "format_version");
        if (!FORMAT.equals(format) || version != FORMAT_VERSION) {
            throw new CorruptCheckpointException(file, "has format " + format + " version " + version
                    + "; this reader supports " + FORMAT + " version " + FORMAT_VERSION);
        }
        try {
            return new Parsed(manifest(fields, root), files(fields, fields.object(root, "", "files")));
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new CorruptCheckpointException(file, "has an invalid value: " + e.getMessage());
        }
    }

    private static CheckpointManifest manifest(Fields fields, JsonObject root) throws CorruptCheckpointException {
        long step = fields.integer(root, "", "step");
        JsonObject optimizer = fields.object(root, "", "optimizer");
        fields.requireValue(optimizer, "optimizer.", "type", "adamw");
        fields.requireValue(optimizer, "optimizer.", "file", OPTIMIZER_FILE);
        fields.requireValue(optimizer, "optimizer.", "step_count", step);
        fields.requireValue(fields.object(root, "", "model"), "model.", "file", MODEL_FILE);
        JsonObject scheduler = fields.object(root, "", "scheduler");
        fields.requireValue(scheduler, "scheduler.", "last_step", step);
        LearningRateSchedule schedule = new LearningRateSchedule(
                LearningRateSchedule.Kind.fromName(fields.string(scheduler, "scheduler.", "kind")),
                fields.number(scheduler, "scheduler.", "peak_learning_rate"),
                Math.toIntExact(fields.integer(scheduler, "scheduler.", "warmup_steps")),
                fields.integer(scheduler, "scheduler.", "total_steps"),
                fields.number(scheduler, "scheduler.", "min_learning_rate"));
        JsonObject batchOrder = fields.object(fields.object(root, "", "rng"), "rng.", "batch_order");
        RngState rng = new RngState(fields.string(batchOrder, "rng.batch_order.", "generator"),
                fields.integer(batchOrder, "rng.batch_order.", "seed"),
                Math.toIntExact(fields.integer(batchOrder, "rng.batch_order.", "epoch")));
        JsonObject data = fields.object(root, "", "data");
        DataFingerprint fingerprint = new DataFingerprint(Math.toIntExact(fields.integer(data, "data.", "pairs")),
                fields.string(data, "data.", "sha256"));
        DataPosition position = new DataPosition(Math.toIntExact(fields.integer(data, "data.", "epoch")),
                Math.toIntExact(fields.integer(data, "data.", "batch")),
                fields.integer(data, "data.", "steps_per_epoch"),
                Math.toIntExact(fields.integer(data, "data.", "batches_per_epoch")));
        RewardTrainerConfig config = config(fields, fields.object(root, "", "trainer_config"));
        return new CheckpointManifest(step, config, schedule, rng, position, fingerprint);
    }

    private static RewardTrainerConfig config(Fields fields, JsonObject json) throws CorruptCheckpointException {
        String at = "trainer_config.";
        return new RewardTrainerConfig(
                fields.number(json, at, "learning_rate"),
                Math.toIntExact(fields.integer(json, at, "warmup_steps")),
                LearningRateSchedule.Kind.fromName(fields.string(json, at, "schedule")),
                fields.number(json, at, "min_learning_rate"),
                fields.number(json, at, "weight_decay"),
                fields.number(json, at, "beta1"),
                fields.number(json, at, "beta2"),
                fields.number(json, at, "epsilon"),
                fields.number(json, at, "max_grad_norm"),
                Math.toIntExact(fields.integer(json, at, "global_batch_pairs")),
                Math.toIntExact(fields.integer(json, at, "micro_batch_pairs")),
                Math.toIntExact(fields.integer(json, at, "epochs")),
                fields.integer(json, at, "max_steps"),
                Math.toIntExact(fields.integer(json, at, "max_length")),
                TruncationMode.valueOf(fields.string(json, at, "truncation_mode").toUpperCase(Locale.ROOT)),
                PaddingSide.valueOf(fields.string(json, at, "padding_side").toUpperCase(Locale.ROOT)),
                Math.toIntExact(fields.integer(json, at, "pad_token_id")),
                fields.integer(json, at, "seed"),
                Math.toIntExact(fields.integer(json, at, "log_every")),
                Math.toIntExact(fields.integer(json, at, "bucket_batches")),
                List.of());
    }

    private static Map<String, FileDigest> files(Fields fields, JsonObject json) throws CorruptCheckpointException {
        Map<String, FileDigest> files = new LinkedHashMap<>();
        for (String name : new String[] {MODEL_FILE, OPTIMIZER_FILE}) {
            JsonObject entry = fields.object(json, "files.", name);
            files.put(name, new FileDigest(fields.integer(entry, "files." + name + ".", "bytes"),
                    fields.string(entry, "files." + name + ".", "sha256")));
        }
        return files;
    }

    /** Typed access to required fields; failures name the file and the dotted path of the field. */
    private record Fields(Path file) {

        private JsonElement required(JsonObject json, String at, String name) throws CorruptCheckpointException {
            JsonElement element = json.get(name);
            if (element == null || element.isJsonNull()) {
                throw new CorruptCheckpointException(file, "is missing the field '" + at + name + "'");
            }
            return element;
        }

        JsonObject object(JsonObject json, String at, String name) throws CorruptCheckpointException {
            JsonElement element = required(json, at, name);
            if (!element.isJsonObject()) {
                throw new CorruptCheckpointException(file, "field '" + at + name + "' must be an object");
            }
            return element.getAsJsonObject();
        }

        String string(JsonObject json, String at, String name) throws CorruptCheckpointException {
            JsonElement element = required(json, at, name);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isString()) {
                throw new CorruptCheckpointException(file, "field '" + at + name + "' must be a string");
            }
            return element.getAsString();
        }

        double number(JsonObject json, String at, String name) throws CorruptCheckpointException {
            JsonElement element = required(json, at, name);
            if (!element.isJsonPrimitive() || !element.getAsJsonPrimitive().isNumber()) {
                throw new CorruptCheckpointException(file, "field '" + at + name + "' must be a number");
            }
            return element.getAsDouble();
        }

        long integer(JsonObject json, String at, String name) throws CorruptCheckpointException {
            number(json, at, name);
            try {
                return json.get(name).getAsBigDecimal().longValueExact();
            } catch (ArithmeticException e) {
                throw new CorruptCheckpointException(file, "field '" + at + name + "' must be an integer");
            }
        }

        void requireValue(JsonObject json, String at, String name, Object expected)
                throws CorruptCheckpointException {
            Object actual = expected instanceof Long ? (Object) integer(json, at, name) : string(json, at, name);
            if (!expected.equals(actual)) {
                throw new CorruptCheckpointException(file, "field '" + at + name + "' is " + actual + ", expected "
                        + expected);
            }
        }
    }
}
