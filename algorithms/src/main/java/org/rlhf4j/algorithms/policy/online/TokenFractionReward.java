package org.rlhf4j.algorithms.policy.online;

import java.util.List;
import java.util.Set;
import org.rlhf4j.api.Plugin;
import org.rlhf4j.models.generate.GenerationResult;

/**
 * A rule-based {@link RewardSource}: the fraction of a response's tokens that belong to a set of
 * target ids, in [0, 1]. A final EOS does not count as a token of the response, and a response
 * with no other token scores 0.
 *
 * <p>It needs no model, so it suits demonstrations and tests: a policy trained on it learns to
 * use the target tokens more often, and the reward is exact and cheap to compute.
 */
public final class TokenFractionReward implements RewardSource {

    private final String name;
    private final Set<Integer> targetIds;
    private final int eosId;

    /**
     * Creates the source.
     *
     * @param name the name under which its rewards are logged, matching {@link Plugin#NAME_PATTERN}
     * @param targetIds the rewarded token ids, at least one
     * @param eosId the end-of-sequence id, which is not counted at the end of a response
     */
    public TokenFractionReward(String name, Set<Integer> targetIds, int eosId) {
        if (name == null || !name.matches(Plugin.NAME_PATTERN)) {
            throw new IllegalArgumentException("reward source name '" + name + "' must match " + Plugin.NAME_PATTERN);
        }
        if (targetIds.isEmpty()) {
            throw new IllegalArgumentException("targetIds must contain at least one token id");
        }
        this.name = name;
        this.targetIds = Set.copyOf(targetIds);
        this.eosId = eosId;
    }

    @Override
    public String name() {
        return name;
    }

    /** Returns the rewarded token ids. */
    public Set<Integer> targetIds() {
        return targetIds;
    }

    @Override
    public double[] score(List<GenerationResult> samples) {
        double[] scores = new double[samples.size()];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = fraction(samples.get(i).responseIds());
        }
        return scores;
    }

    private double fraction(int[] response) {
        int length = response.length;
        if (length > 0 && response[length - 1] == eosId) {
            length--;
        }
        if (length == 0) {
            return 0;
        }
        int hits = 0;
        for (int t = 0; t < length; t++) {
            hits += targetIds.contains(response[t]) ? 1 : 0;
        }
        return (double) hits / length;
    }
}
