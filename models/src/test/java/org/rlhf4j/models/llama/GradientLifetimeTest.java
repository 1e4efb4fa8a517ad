package org.rlhf4j.models.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.models.TestModels;

/**
 * Checks that a garbage collection between the forward and the backward pass leaves the gradients
 * unchanged. DJL's PyTorch engine frees the memory of number arguments such as {@code mul(0.5f)}
 * at the next collection while autograd still reads it, so the model must not use them in
 * differentiable code.
 */
class GradientLifetimeTest {

    private static final long[] IDS = {1, 403, 407, 261, 378, 290};

    /** Runs the garbage collector and fills freed native memory with 1e30, so that stale reads show. */
    static List<ByteBuffer> collectAndOverwriteFreedMemory() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(20);
        }
        List<ByteBuffer> filler = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(4).order(ByteOrder.nativeOrder());
            buffer.putFloat(0, 1e30f);
            filler.add(buffer);
        }
        return filler;
    }

    private static float[] queryGradient(LlamaModel model, boolean collectBeforeBackward) throws InterruptedException {
        NDArray query = model.parameters().get("blk.0.attn_q.weight");
        try (NDManager step = model.manager().newSubManager()) {
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.logits(step.create(IDS, new Shape(1, IDS.length)), null);
                NDArray loss = logits.square().mean();
                List<ByteBuffer> filler = collectBeforeBackward ? collectAndOverwriteFreedMemory() : List.of();
                collector.backward(loss);
                assertThat(filler.size()).isIn(0, 20_000);
            }
            NDArray gradient = query.getGradient();
            gradient.attach(step);
            float[] values = gradient.toFloatArray();
            gradient.muli(0f);
            return values;
        }
    }

    @Test
    void collectionBeforeBackwardKeepsGradients() throws IOException, InterruptedException {
        try (LlamaModel model = LlamaModel.fromGguf(TestModels.stories260K())) {
            model.setRequiresGradient(true);

            float[] expected = queryGradient(model, false);
            float[] afterCollection = queryGradient(model, true);

            assertThat(afterCollection).containsExactly(expected, within(1e-6f));
        }
    }
}
