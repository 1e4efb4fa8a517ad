package org.rlhf4j.algorithms.regression;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rlhf4j.algorithms.reward.PaddingSide;
import org.rlhf4j.algorithms.reward.TruncationMode;
import org.rlhf4j.api.data.RatedResponse;
import org.rlhf4j.api.data.ReadOptions;
import org.rlhf4j.data.source.Oasst2Source;
import org.rlhf4j.models.BundledModels;
import org.rlhf4j.models.chat.PlainChatTemplate;
import org.rlhf4j.models.reward.LlamaRewardModel;

class OasstProbeTest {

    static long cpu() {
        try {
            String[] f = java.nio.file.Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void probe() throws Exception {
        int maxLen = Integer.getInteger("p.len", 128);
        int steps = Integer.getInteger("p.steps", 40);
        double lr = Double.parseDouble(System.getProperty("p.lr", "1e-3"));
        int batch = Integer.getInteger("p.batch", 16);
        int micro = Integer.getInteger("p.micro", 8);
        String attrs = System.getProperty("p.attrs", "quality");
        Path file = SharedData.require(SharedData.OASST2_TREES);
        List<RatedResponse> records = new Oasst2Source().withLanguage("en").open(file, ReadOptions.strict()).readAll();
        List<RatedResponse> trainRecords = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) if (i % 5 != 0) trainRecords.add(records.get(i));
        RegressionTargets.Builder b = RegressionTargets.builder();
        for (String a : attrs.split(",")) {
            double[] v = trainRecords.stream().filter(r -> r.ratings().containsKey(a)).mapToDouble(r -> r.ratings().get(a)).toArray();
            double mean = java.util.Arrays.stream(v).average().orElseThrow();
            double sd = Math.sqrt(java.util.Arrays.stream(v).map(x -> (x - mean) * (x - mean)).average().orElseThrow());
            b.attribute(a, 1 / sd, -mean / sd);
        }
        b.rewardAttribute(attrs.split(",")[0]);
        RegressionTargets targets = b.build();
        try (LlamaRewardModel model = LlamaRewardModel.fromGguf(BundledModels.stories260K().orElseThrow(),
                targets.headSpec(), 1, Device.cpu())) {
            long c0 = cpu();
            RatedEncoder encoder = new RatedEncoder(model.tokenizer(), Boolean.getBoolean("p.respOnly") ? new org.rlhf4j.models.chat.ChatTemplate() {
                        public String name() { return "response-only"; }
                        public String promptPrefix(List<org.rlhf4j.api.data.Turn> prompt) { return ""; }
                        public String responseSuffix() { return ""; }
                    } : new PlainChatTemplate(), targets, maxLen,
                    TruncationMode.TRUNCATE);
            List<EncodedRated> all = encoder.encode(records).examples();
            List<EncodedRated> train = new ArrayList<>();
            List<EncodedRated> test = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) (i % 5 == 0 ? test : train).add(all.get(i));
            long full = records.stream().mapToInt(r -> encoder.encodeSequence(r.prompt(), r.response()).length).sorted().skip(records.size()/2).findFirst().getAsInt();
            System.out.println("PROBE median tokens " + full);
            System.out.println("PROBE encode cpu s " + (cpu() - c0) / 1e9);
            c0 = cpu();
            Map<String, Double> base = RegressionEvaluator.meanBaselineRmse(targets, train, test);
            RegressionEvaluator eval = new RegressionEvaluator(model, targets, 16, PaddingSide.RIGHT, model.tokenizer().padId());
            if (Boolean.getBoolean("p.zero")) {
                model.parameters().get(LlamaRewardModel.HEAD_WEIGHT).muli(0f);
            }
            System.out.println("PROBE init " + eval.evaluate(test).attribute("quality").orElseThrow().rmse() + " base " + base);
            long t0 = System.nanoTime();
            org.rlhf4j.models.reward.RewardModel trained = model;
            if (Boolean.getBoolean("p.headOnly")) {
                trained = new org.rlhf4j.models.reward.RewardModel() {
                    public org.rlhf4j.models.reward.RewardHeadSpec head() { return model.head(); }
                    public ai.djl.ndarray.NDManager manager() { return model.manager(); }
                    public ai.djl.ndarray.NDArray forward(ai.djl.ndarray.NDArray i, ai.djl.ndarray.NDArray m) { return model.forward(i, m); }
                    public Map<String, ai.djl.ndarray.NDArray> parameters() {
                        return Map.of(LlamaRewardModel.HEAD_WEIGHT, model.parameters().get(LlamaRewardModel.HEAD_WEIGHT),
                                LlamaRewardModel.HEAD_BIAS, model.parameters().get(LlamaRewardModel.HEAD_BIAS));
                    }
                    public void save(Path d) {}
                    public void close() {}
                };
            }
            try (RegressionTrainer trainer = new RegressionTrainer(trained, PluginLosses.regression(),
                    RegressionTrainerConfig.builder().learningRate(lr).warmupSteps(Integer.getInteger("p.warm", 5)).globalBatchSize(batch)
                            .microBatchSize(micro).maxSteps(steps).seed(Long.getLong("p.seed", 42L)).logEvery(10).schedule(org.rlhf4j.algorithms.optim.LearningRateSchedule.Kind.fromName(System.getProperty("p.sched", "constant"))).weightDecay(Double.parseDouble(System.getProperty("p.wd", "0"))).padTokenId(model.tokenizer().padId()).build())) {
                int every = Integer.getInteger("p.every", 10);
                trainer.addListener(m -> {
                    if (m.step() % every == 0) {
                        System.out.println("PROBE step " + m.step() + " heldout " + eval.evaluate(test).attribute("quality").orElseThrow().rmse()
                                + " trainloss " + m.loss());
                    }
                });
                trainer.train(train);
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            System.out.println("PROBE train cpu s " + (cpu() - c0) / 1e9);
            c0 = cpu();
            RegressionReport r = eval.evaluate(test);
            System.out.println("PROBE len=" + maxLen + " steps=" + steps + " lr=" + lr + " train s=" + secs + " baseline=" + base + " model=" + r.attributes());
            System.out.println("PROBE eval cpu s " + (cpu() - c0) / 1e9);
        }
    }
}
