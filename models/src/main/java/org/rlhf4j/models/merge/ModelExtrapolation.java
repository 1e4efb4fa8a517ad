package org.rlhf4j.models.merge;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rlhf4j.models.io.DurableFiles;
import org.rlhf4j.models.reward.LlamaRewardModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Extrapolates a reward model away from a weaker one (model extrapolation, ExPO). Every
 * parameter, decoder and head alike, becomes
 * <pre>{@code theta = theta_strong + alpha * (theta_strong - theta_weak)}</pre>
 * so alpha = 0 gives the strong model, alpha = -1 the weak model, and alpha > 0 moves past the
 * strong model along the direction that training took.
 *
 * <p>In the HelpSteer2-Preference recipe the weak model is the helpfulness-only regression reward
 * model and the strong model is the Scaled Bradley-Terry reward model trained from it. That work
 * reports {@value #REPORTED_FACTOR} as the best factor but does not say which of two readings it
 * means, so both are offered as a {@link Convention}:
 * <ul>
 *   <li>{@link Convention#ALPHA} (the default): the factor is alpha, so 1.52 gives
 *       {@code theta_strong + 1.52 * (theta_strong - theta_weak)}. The ExPO reference code
 *       (chujiezheng/LLM-Extrapolation, {@code code/extrapolate.py}) takes this alpha.
 *   <li>{@link Convention#TOTAL_MULTIPLIER}: the factor multiplies the whole weak-to-strong
 *       difference, so 1.52 gives {@code theta_weak + 1.52 * (theta_strong - theta_weak)}, which is
 *       alpha = 1.52 - 1 = 0.52.
 * </ul>
 *
 * <p>Arithmetic: alpha is rounded to float32 and each parameter is converted to float32. The
 * result is {@code strong + alpha * (strong - weak)}, evaluated in float32 in that order. The
 * reference code evaluates the same expression in bfloat16. Rounding makes that expression miss
 * the end points slightly (alpha = -1 gives {@code strong - (strong - weak)}, which is not always
 * weak), so when the float32 alpha is exactly 0 or -1 the result is a bit-for-bit copy of the
 * strong or the weak parameter.
 *
 * <pre>{@code
 * ExtrapolationManifest manifest = ModelExtrapolation.extrapolate(regressionDir, scaledBtDir,
 *         ModelExtrapolation.REPORTED_FACTOR, ModelExtrapolation.Convention.ALPHA, outDir);
 * }</pre>
 */
public final class ModelExtrapolation {

    /**
     * The best extrapolation factor reported for the Scaled Bradley-Terry reward model initialised
     * from the helpfulness-only regression model. It is not known whether it is alpha
     * ({@link Convention#ALPHA}) or the total multiplier ({@link Convention#TOTAL_MULTIPLIER}).
     */
    public static final double REPORTED_FACTOR = 1.52;

    /** The convention that the overloads without a {@link Convention} argument use. */
    public static final Convention DEFAULT_CONVENTION = Convention.ALPHA;

    private static final Logger logger = LoggerFactory.getLogger(ModelExtrapolation.class);
    private static final int NAMES_IN_MESSAGE = 5;

    /** The reading of an extrapolation factor. */
    public enum Convention {

        /** The factor is alpha itself: {@code theta = theta_strong + factor * (theta_strong - theta_weak)}. */
        ALPHA,

        /**
         * The factor multiplies the whole difference from the weak model:
         * {@code theta = theta_weak + factor * (theta_strong - theta_weak)}, so alpha = factor - 1.
         */
        TOTAL_MULTIPLIER;

        /**
         * Converts a factor under this convention to alpha.
         *
         * @param factor the factor, a finite number
         * @return {@code factor} under {@link #ALPHA}, {@code factor - 1} under {@link #TOTAL_MULTIPLIER}
         * @throws IllegalArgumentException when the factor is NaN or infinite
         */
        public double toAlpha(double factor) {
            if (!Double.isFinite(factor)) {
                throw new IllegalArgumentException("the extrapolation factor must be a finite number but is " + factor);
            }
            return this == ALPHA ? factor : factor - 1.0;
        }
    }

    private ModelExtrapolation() {
    }

    /**
     * Computes the extrapolated parameters in memory. The inputs are not changed.
     *
     * @param weak the weak model's parameters by name
     * @param strong the strong model's parameters by name; the result keeps this order
     * @param alpha the extrapolation coefficient, finite; rounded to float32 before use
     * @param manager the manager that owns the returned arrays; the caller closes it
     * @return new float32 arrays by name, each named after its key and on the device of its strong
     *     parameter, in an unmodifiable map
     * @throws IllegalArgumentException when alpha is not finite, a parameter is in one map but not
     *     the other, the shapes of a parameter differ, or a parameter is not of a floating-point type
     */
    public static Map<String, NDArray> extrapolate(Map<String, NDArray> weak, Map<String, NDArray> strong,
            double alpha, NDManager manager) {
        Objects.requireNonNull(manager, "manager");
        float alpha32 = toFloat32(alpha);
        requireMatchingParameters(weak, "the weak model", strong, "the strong model");
        Map<String, NDArray> result = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, NDArray> entry : strong.entrySet()) {
                String name = entry.getKey();
                result.put(name, extrapolateParameter(name, weak.get(name), entry.getValue(), alpha32, manager));
            }
        } catch (RuntimeException e) {
            result.values().forEach(NDArray::close);
            throw e;
        }
        return Collections.unmodifiableMap(result);
    }

    /**
     * Extrapolates two saved reward models with {@link #DEFAULT_CONVENTION}, reading the factor as alpha.
     *
     * @see #extrapolate(Path, Path, double, Convention, Path)
     */
    public static ExtrapolationManifest extrapolate(Path weakDir, Path strongDir, double factor, Path outDir)
            throws IOException {
        return extrapolate(weakDir, strongDir, factor, DEFAULT_CONVENTION, outDir);
    }

    /**
     * Extrapolates two saved reward models and writes the result as a new saved reward model. The
     * output has the strong model's decoder configuration, head description and tokenizer, loads
     * with {@link LlamaRewardModel#load(Path, org.rlhf4j.models.reward.RewardHeadSpec)}, and holds
     * an {@value ExtrapolationManifest#FILE_NAME} file that records both sources with their weight
     * checksums, the factor, the convention and alpha.
     *
     * <p>Both models are loaded on the CPU. The output is written completely in a temporary
     * directory beside {@code outDir}, which then replaces {@code outDir}. An existing {@code outDir}
     * must be empty or a saved reward model, and is removed only after the new directory is in place.
     *
     * @param weakDir the weak checkpoint directory, written by {@link LlamaRewardModel#save(Path)}
     * @param strongDir the strong checkpoint directory
     * @param factor the extrapolation factor, finite
     * @param convention how to read {@code factor}
     * @param outDir the output checkpoint directory; it must differ from both sources
     * @return the manifest written into {@code outDir}
     * @throws IOException when a source cannot be read or fails its checksum, or writing fails;
     *     {@code outDir} is then unchanged
     * @throws IllegalArgumentException when the factor is not finite, {@code outDir} is a source, or
     *     the two models differ in tokenizer, decoder configuration, head description, parameter
     *     names or parameter shapes; the message names both sides
     */
    public static ExtrapolationManifest extrapolate(Path weakDir, Path strongDir, double factor,
            Convention convention, Path outDir) throws IOException {
        Objects.requireNonNull(convention, "convention");
        float alpha = toFloat32(convention.toAlpha(factor));
        Path target = outDir.toAbsolutePath().normalize();
        ExtrapolationManifest.Source weak = describe(weakDir);
        ExtrapolationManifest.Source strong = describe(strongDir);
        requireNotSource(target, weak, strong);
        requireSameTokenizer(weak, strong);
        CheckpointFiles.requireReplaceable(target);
        if (weak.weightsSha256().equals(strong.weightsSha256())) {
            logger.warn("The weak and strong weights are identical ({} and {}), so the result equals the strong model",
                    weak.directory(), strong.directory());
        }
        try (LlamaRewardModel weakModel = LlamaRewardModel.load(weak.directory(), null, Device.cpu());
                LlamaRewardModel strongModel = LlamaRewardModel.load(strong.directory(), null, Device.cpu())) {
            requireSameArchitecture(weakModel, label("weak", weak), strongModel, label("strong", strong));
            replaceParameters(weakModel, label("weak", weak), strongModel, label("strong", strong), alpha);
            ExtrapolationManifest manifest = saveWithManifest(strongModel, target, weak, strong, factor, convention);
            logger.debug("Extrapolated {} from {} and {} with alpha {}", target, weak.directory(), strong.directory(),
                    manifest.alpha());
            return manifest;
        }
    }

    private static float toFloat32(double alpha) {
        if (!Double.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be a finite number but is " + alpha);
        }
        return (float) alpha;
    }

    private static ExtrapolationManifest.Source describe(Path directory) throws IOException {
        Path absolute = directory.toAbsolutePath().normalize();
        return new ExtrapolationManifest.Source(absolute,
                CheckpointFiles.sha256(absolute.resolve(CheckpointFiles.WEIGHTS_FILE)),
                CheckpointFiles.sha256(absolute.resolve(CheckpointFiles.TOKENIZER_FILE)));
    }

    private static String label(String role, ExtrapolationManifest.Source source) {
        return "the " + role + " checkpoint " + source.directory();
    }

    private static void requireNotSource(Path target, ExtrapolationManifest.Source weak,
            ExtrapolationManifest.Source strong) {
        if (target.equals(weak.directory()) || target.equals(strong.directory())) {
            throw new IllegalArgumentException("the output directory " + target + " is one of the source checkpoints."
                    + " Write the extrapolated model to a new directory");
        }
    }

    private static void requireSameTokenizer(ExtrapolationManifest.Source weak, ExtrapolationManifest.Source strong) {
        if (!weak.tokenizerSha256().equals(strong.tokenizerSha256())) {
            throw new IllegalArgumentException("the tokenizers differ: " + label("weak", weak) + " has "
                    + CheckpointFiles.TOKENIZER_FILE + " with SHA-256 " + weak.tokenizerSha256() + " but "
                    + label("strong", strong) + " has SHA-256 " + strong.tokenizerSha256()
                    + ". Both models must read the same token ids");
        }
    }

    private static void requireSameArchitecture(LlamaRewardModel weak, String weakLabel, LlamaRewardModel strong,
            String strongLabel) {
        if (!weak.decoder().config().equals(strong.decoder().config())) {
            throw new IllegalArgumentException("the decoder configurations differ: " + weakLabel + " has "
                    + weak.decoder().config() + " but " + strongLabel + " has " + strong.decoder().config());
        }
        if (!weak.head().equals(strong.head())) {
            throw new IllegalArgumentException("the reward heads differ: " + weakLabel + " has " + weak.head()
                    + " but " + strongLabel + " has " + strong.head());
        }
        if (!weak.tokenizerSource().equals(strong.tokenizerSource())) {
            logger.debug("The tokenizer sources differ ({} and {}) but the vocabularies are identical",
                    weak.tokenizerSource(), strong.tokenizerSource());
        }
    }

    /** Overwrites each strong parameter with its extrapolated value, one parameter at a time. */
    private static void replaceParameters(LlamaRewardModel weak, String weakLabel, LlamaRewardModel strong,
            String strongLabel, float alpha) {
        Map<String, NDArray> weakParameters = weak.parameters();
        requireMatchingParameters(weakParameters, weakLabel, strong.parameters(), strongLabel);
        for (Map.Entry<String, NDArray> entry : strong.parameters().entrySet()) {
            String name = entry.getKey();
            NDArray parameter = entry.getValue();
            NDArray result = extrapolateParameter(name, weakParameters.get(name), parameter, alpha, strong.manager());
            // Both are float32 with equal shapes: the parameter keeps its Java object and takes the new values.
            parameter.intern(result);
        }
    }

    private static void requireMatchingParameters(Map<String, NDArray> weak, String weakLabel,
            Map<String, NDArray> strong, String strongLabel) {
        Objects.requireNonNull(weak, "weak");
        Objects.requireNonNull(strong, "strong");
        requireAllPresent(strong, strongLabel, weak, weakLabel);
        requireAllPresent(weak, weakLabel, strong, strongLabel);
        for (Map.Entry<String, NDArray> entry : strong.entrySet()) {
            String name = entry.getKey();
            NDArray weakArray = weak.get(name);
            NDArray strongArray = entry.getValue();
            if (!weakArray.getShape().equals(strongArray.getShape())) {
                throw new IllegalArgumentException("parameter " + name + " has shape " + weakArray.getShape() + " in "
                        + weakLabel + " but " + strongArray.getShape() + " in " + strongLabel);
            }
        }
    }

    private static void requireAllPresent(Map<String, NDArray> source, String sourceLabel, Map<String, NDArray> other,
            String otherLabel) {
        List<String> missing = new ArrayList<>();
        for (String name : source.keySet()) {
            if (!other.containsKey(name)) {
                missing.add(name);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        String names = missing.size() == 1 ? "parameter " + missing.get(0) + " is"
                : missing.size() + " parameters " + missing.subList(0, Math.min(missing.size(), NAMES_IN_MESSAGE))
                        + (missing.size() > NAMES_IN_MESSAGE ? " (first " + NAMES_IN_MESSAGE + " shown)" : "")
                        + " are";
        throw new IllegalArgumentException(names + " in " + sourceLabel + " but not in " + otherLabel);
    }

    /** Returns {@code strong + alpha * (strong - weak)} in float32 as a new array owned by {@code manager}. */
    private static NDArray extrapolateParameter(String name, NDArray weak, NDArray strong, float alpha,
            NDManager manager) {
        requireFloatingPoint(name, "weak", weak);
        requireFloatingPoint(name, "strong", strong);
        try (NDManager scratch = manager.newSubManager(strong.getDevice())) {
            NDArray strong32 = float32(strong, scratch);
            NDArray weak32 = float32(weak, scratch);
            if (!weak32.getDevice().equals(strong32.getDevice())) {
                weak32 = weak32.toDevice(strong32.getDevice(), false);
                weak32.attach(scratch);
            }
            NDArray result;
            if (alpha == 0f) {
                result = strong32.duplicate();
                result.attach(manager);
            } else if (alpha == -1f) {
                result = weak32.duplicate();
                result.attach(manager);
            } else {
                result = strong32.sub(weak32);
                result.attach(manager);
                result.muli(alpha);
                result.addi(strong32);
            }
            result.setName(name);
            return result;
        }
    }

    private static void requireFloatingPoint(String name, String role, NDArray array) {
        if (!array.getDataType().isFloating()) {
            throw new IllegalArgumentException("parameter " + name + " of the " + role + " model has type "
                    + array.getDataType() + "; only floating-point parameters can be extrapolated");
        }
    }

    /** Returns the array itself when it is float32, or else a float32 copy owned by {@code scratch}. */
    private static NDArray float32(NDArray array, NDManager scratch) {
        if (array.getDataType() == DataType.FLOAT32) {
            return array;
        }
        NDArray converted = array.toType(DataType.FLOAT32, false);
        converted.attach(scratch);
        return converted;
    }

    /**
     * Saves the model into a staging directory beside the target, adds the manifest, and moves the
     * finished directory to the target, so the target never holds a checkpoint without its manifest.
     */
    private static ExtrapolationManifest saveWithManifest(LlamaRewardModel model, Path target,
            ExtrapolationManifest.Source weak, ExtrapolationManifest.Source strong, double factor,
            Convention convention) throws IOException {
        Path parent = target.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("the output directory " + target + " has no parent directory");
        }
        Files.createDirectories(parent);
        Path staging = Files.createTempDirectory(parent, "." + target.getFileName() + ".extrapolation-");
        try {
            Path checkpoint = staging.resolve("checkpoint");
            model.save(checkpoint);
            String weightsSha256 = CheckpointFiles.sha256(checkpoint.resolve(CheckpointFiles.WEIGHTS_FILE));
            ExtrapolationManifest manifest = new ExtrapolationManifest(weak, strong, factor, convention, weightsSha256);
            manifest.write(checkpoint);
            DurableFiles.fsync(checkpoint);
            DurableFiles.replaceDirectory(checkpoint, target);
            DurableFiles.deleteRecursively(staging);
            return manifest;
        } catch (IOException | RuntimeException e) {
            try {
                DurableFiles.deleteRecursively(staging);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }
}
