package org.rlhf4j.models.generate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Prompts and responses laid out for one forward pass: each row is its prompt padded on the left
 * to {@code promptColumns}, followed by its response padded on the right to
 * {@code responseColumns}, the layout {@link Generator} produces.
 *
 * <p>Response token {@code t} of a row sits at column {@code promptColumns + t}. Its
 * log-probability comes from the logits at column {@code promptColumns + t - 1}, the position
 * before it; {@link #alignToResponse} selects exactly those columns of any per-position output
 * (logits, hidden states, values). The arrays are flat and row-major; the accessors return the
 * record's own arrays, which callers must not change.
 *
 * @param rows number of sequences
 * @param promptColumns length of the longest prompt
 * @param responseColumns length of the longest response, at least 1
 * @param ids token ids, the pad id at padded positions, {@code rows * (promptColumns + responseColumns)}
 * @param mask 1 at real tokens and 0 at padding, same size as {@code ids}
 * @param responseMask 1 at real response tokens and 0 at padded response slots, {@code rows * responseColumns}
 * @param promptLengths number of prompt tokens per row
 * @param responseLengths number of response tokens per row
 */
public record ResponseBatch(int rows, int promptColumns, int responseColumns, long[] ids, long[] mask,
        long[] responseMask, int[] promptLengths, int[] responseLengths) {

    public ResponseBatch {
        Objects.requireNonNull(ids, "ids");
        Objects.requireNonNull(mask, "mask");
        Objects.requireNonNull(responseMask, "responseMask");
        Objects.requireNonNull(promptLengths, "promptLengths");
        Objects.requireNonNull(responseLengths, "responseLengths");
        if (rows < 1 || promptColumns < 1 || responseColumns < 1) {
            throw new IllegalArgumentException("A response batch needs at least one row, one prompt column and one"
                    + " response column, got " + rows + ", " + promptColumns + " and " + responseColumns);
        }
        long cells = (long) rows * (promptColumns + responseColumns);
        if (ids.length != cells || mask.length != cells || responseMask.length != (long) rows * responseColumns
                || promptLengths.length != rows || responseLengths.length != rows) {
            throw new IllegalArgumentException("Array sizes do not match " + rows + " rows of " + promptColumns
                    + " prompt and " + responseColumns + " response columns");
        }
    }

    /**
     * Lays out prompts and responses.
     *
     * @param prompts the prompt ids, none empty
     * @param responses the response ids, one per prompt; some may be empty, not all
     * @param padId the id written at padded positions, which are masked
     * @return the batch
     * @throws IllegalArgumentException when the lists are empty or of different sizes, a prompt is
     *     empty, or every response is empty
     */
    public static ResponseBatch of(List<int[]> prompts, List<int[]> responses, int padId) {
        if (prompts.isEmpty() || prompts.size() != responses.size()) {
            throw new IllegalArgumentException("Need one response per prompt and at least one of each, got "
                    + prompts.size() + " prompts and " + responses.size() + " responses");
        }
        int rows = prompts.size();
        int[] promptLengths = new int[rows];
        int[] responseLengths = new int[rows];
        for (int i = 0; i < rows; i++) {
            promptLengths[i] = prompts.get(i).length;
            responseLengths[i] = responses.get(i).length;
            if (promptLengths[i] == 0) {
                throw new IllegalArgumentException("prompt " + i + " is empty; the first response token needs a"
                        + " prompt token before it");
            }
        }
        int promptColumns = Arrays.stream(promptLengths).max().orElseThrow();
        int responseColumns = Arrays.stream(responseLengths).max().orElseThrow();
        if (responseColumns == 0) {
            throw new IllegalArgumentException("every response is empty, so there is nothing to score");
        }
        int width = promptColumns + responseColumns;
        long[] ids = new long[rows * width];
        long[] mask = new long[rows * width];
        long[] responseMask = new long[rows * responseColumns];
        Arrays.fill(ids, padId);
        for (int i = 0; i < rows; i++) {
            int[] prompt = prompts.get(i);
            int start = i * width + promptColumns - prompt.length;
            for (int t = 0; t < prompt.length; t++) {
                ids[start + t] = prompt[t];
                mask[start + t] = 1;
            }
            int[] response = responses.get(i);
            for (int t = 0; t < response.length; t++) {
                ids[i * width + promptColumns + t] = response[t];
                mask[i * width + promptColumns + t] = 1;
                responseMask[i * responseColumns + t] = 1;
            }
        }
        return new ResponseBatch(rows, promptColumns, responseColumns, ids, mask, responseMask, promptLengths,
                responseLengths);
    }

    /**
     * Lays out generated sequences, with their prompts and sampled responses.
     *
     * @param results the generation results
     * @param padId the id written at padded positions
     * @return the batch
     */
    public static ResponseBatch of(List<GenerationResult> results, int padId) {
        return of(results.stream().map(GenerationResult::promptIds).toList(),
                results.stream().map(GenerationResult::responseIds).toList(), padId);
    }

    /** Returns the number of columns, {@code promptColumns + responseColumns}. */
    public int columns() {
        return promptColumns + responseColumns;
    }

    /** Creates the int64 token-id array, shape {@code [rows, columns]}, in {@code manager}. */
    public NDArray idsArray(NDManager manager) {
        return manager.create(ids, new Shape(rows, columns()));
    }

    /** Creates the int64 attention mask, shape {@code [rows, columns]}, in {@code manager}. */
    public NDArray maskArray(NDManager manager) {
        return manager.create(mask, new Shape(rows, columns()));
    }

    /** Creates the float32 response mask, shape {@code [rows, responseColumns]}, in {@code manager}. */
    public NDArray responseMaskArray(NDManager manager) {
        return manager.create(responseMask, new Shape(rows, responseColumns)).toType(DataType.FLOAT32, false);
    }

    /** Creates the int64 response ids, shape {@code [rows, responseColumns]}, the pad id at padded slots. */
    public NDArray responseIdsArray(NDManager manager) {
        long[] response = new long[rows * responseColumns];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(ids, i * columns() + promptColumns, response, i * responseColumns, responseColumns);
        }
        return manager.create(response, new Shape(rows, responseColumns));
    }

    /**
     * Selects the per-position outputs that predict the response tokens: columns
     * {@code promptColumns - 1} to {@code promptColumns + responseColumns - 2}, so that entry
     * {@code t} of the result belongs to response token {@code t}.
     *
     * @param perPosition an output of the forward pass over this batch, shape {@code [rows, columns, ...]}
     * @return the selected columns, shape {@code [rows, responseColumns, ...]}
     * @throws IllegalArgumentException when the array does not have {@code [rows, columns]} leading dimensions
     */
    public NDArray alignToResponse(NDArray perPosition) {
        Shape shape = perPosition.getShape();
        if (shape.dimension() < 2 || shape.get(0) != rows || shape.get(1) != columns()) {
            throw new IllegalArgumentException("expected an array of shape [" + rows + ", " + columns() + ", ...],"
                    + " got " + shape);
        }
        int first = promptColumns - 1;
        return perPosition.get(":, " + first + ":" + (first + responseColumns));
    }
}
