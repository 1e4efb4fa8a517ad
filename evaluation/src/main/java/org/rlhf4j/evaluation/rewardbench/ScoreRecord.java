package org.rlhf4j.evaluation.rewardbench;

/**
 * The reward-model scores of one RewardBench pair.
 *
 * @param id the pair's identifier, unique within one scored run
 * @param subset the RewardBench subset the pair belongs to, such as {@code "llmbar-natural"}
 * @param scoreChosen the reward of the chosen response
 * @param scoreRejected the reward of the rejected response
 */
public record ScoreRecord(String id, String subset, double scoreChosen, double scoreRejected) {

    public ScoreRecord {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must be a non-blank string, got " + quote(id));
        }
        if (subset == null || subset.isBlank()) {
            throw new IllegalArgumentException("subset must be a non-blank string, got " + quote(subset));
        }
        if (!Double.isFinite(scoreChosen)) {
            throw new IllegalArgumentException("scoreChosen of pair '" + id + "' must be finite, got " + scoreChosen);
        }
        if (!Double.isFinite(scoreRejected)) {
            throw new IllegalArgumentException(
                    "scoreRejected of pair '" + id + "' must be finite, got " + scoreRejected);
        }
    }

    /** Tells whether the chosen response scored strictly higher; a tie is not correct. */
    public boolean isCorrect() {
        return scoreChosen > scoreRejected;
    }

    /** Tells whether both responses got the same score. */
    public boolean isTie() {
        return scoreChosen == scoreRejected;
    }

    /** Returns the reward margin, chosen minus rejected. */
    public double margin() {
        return scoreChosen - scoreRejected;
    }

    private static String quote(String text) {
        return text == null ? "null" : "\"" + text + "\"";
    }
}
