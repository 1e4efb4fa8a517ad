package org.rlhf4j.evaluation.rewardbench;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import org.rlhf4j.evaluation.internal.AtomicFiles;

/** Writer of per-pair scores in the JSONL layout that {@link ScoreReader} reads. */
public final class ScoreWriter {

    private static final Gson GSON = new Gson();

    private ScoreWriter() {
    }

    /**
     * Writes one JSON object per line with {@code id}, {@code subset}, {@code score_chosen} and
     * {@code score_rejected}, atomically.
     *
     * @param file the file to create or replace
     * @param records the scored pairs, in the order to write
     * @throws IOException when the file cannot be written
     */
    public static void write(Path file, Collection<ScoreRecord> records) throws IOException {
        StringBuilder text = new StringBuilder();
        for (ScoreRecord record : records) {
            JsonObject line = new JsonObject();
            line.addProperty(ScoreReader.ID, record.id());
            line.addProperty(ScoreReader.SUBSET, record.subset());
            line.addProperty(ScoreReader.SCORE_CHOSEN, record.scoreChosen());
            line.addProperty(ScoreReader.SCORE_REJECTED, record.scoreRejected());
            text.append(GSON.toJson(line)).append('\n');
        }
        AtomicFiles.writeString(file, text.toString());
    }
}
