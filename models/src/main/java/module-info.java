/**
 * Pretrained decoder models for rlhf4j: GGUF loading, the SentencePiece tokenizer, the Llama
 * decoder written with DJL operators, and reward heads on top of it.
 */
module org.rlhf4j.models {
    requires transitive org.rlhf4j.api;
    requires com.google.gson;
    requires org.slf4j;

    exports org.rlhf4j.models;
    exports org.rlhf4j.models.gguf;
    exports org.rlhf4j.models.llama;
    exports org.rlhf4j.models.generate;
    exports org.rlhf4j.models.tokenizer;
    exports org.rlhf4j.models.reward;
    exports org.rlhf4j.models.merge;
    exports org.rlhf4j.models.chat;
    exports org.rlhf4j.models.io to org.rlhf4j.algorithms;
}
