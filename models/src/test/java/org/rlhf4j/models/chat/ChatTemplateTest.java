package org.rlhf4j.models.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Turn;

class ChatTemplateTest {

    private static final String NEMO_SYSTEM = "A chat between a curious user and an artificial intelligence "
            + "assistant. The assistant gives helpful, detailed, and polite answers to the user's questions.";

    @Test
    void plainRendersSingleTurn() {
        String text = new PlainChatTemplate().render(List.of(Turn.user("Hi")), "Hello");

        assertThat(text).isEqualTo("User: Hi\nAssistant: Hello\n");
    }

    @Test
    void plainRendersEveryTurn() {
        List<Turn> prompt = List.of(
                new Turn(Turn.Role.SYSTEM, "Be brief."), Turn.user("Hi"), Turn.assistant("Hello"), Turn.user("2+2?"));

        String text = new PlainChatTemplate().render(prompt, "4");

        assertThat(text).isEqualTo("System: Be brief.\nUser: Hi\nAssistant: Hello\nUser: 2+2?\nAssistant: 4\n");
    }

    @Test
    void plainWritesNoSpecialTokens() {
        String text = new PlainChatTemplate().render(List.of(Turn.user("Hi")), "Hello");

        assertThat(text).doesNotContain("<s>");
        assertThat(text).doesNotContain("</s>");
    }

    @Test
    void renderIsPrefixResponseSuffix() {
        ChatTemplate template = new ExtraIdChatTemplate();
        List<Turn> prompt = List.of(Turn.user("Q"));

        String text = template.render(prompt, "A");

        assertThat(text).isEqualTo(template.promptPrefix(prompt) + "A" + template.responseSuffix());
    }

    @Test
    void extraIdMatchesNemoRegressionFormat() {
        String text = new ExtraIdChatTemplate().render(List.of(Turn.user("What is 2+2?")), "4.");

        assertThat(text).isEqualTo("<extra_id_0>System\n" + NEMO_SYSTEM + "\n"
                + "<extra_id_1>User\nWhat is 2+2?\n"
                + "<extra_id_1>Assistant\n4.\n"
                + "<extra_id_2>");
    }

    @Test
    void extraIdRendersEarlierAssistantTurns() {
        List<Turn> prompt = List.of(Turn.user("Hi"), Turn.assistant("Hello"), Turn.user("Bye"));

        String text = new ExtraIdChatTemplate("S").render(prompt, "Ciao");

        assertThat(text).isEqualTo("<extra_id_0>System\nS\n<extra_id_1>User\nHi\n<extra_id_1>Assistant\nHello\n"
                + "<extra_id_1>User\nBye\n<extra_id_1>Assistant\nCiao\n<extra_id_2>");
    }

    @Test
    void extraIdUsesLeadingSystemTurn() {
        List<Turn> prompt = List.of(new Turn(Turn.Role.SYSTEM, "Custom"), Turn.user("Hi"));

        String text = new ExtraIdChatTemplate().render(prompt, "Hello");

        assertThat(text).isEqualTo(
                "<extra_id_0>System\nCustom\n<extra_id_1>User\nHi\n<extra_id_1>Assistant\nHello\n<extra_id_2>");
    }

    @Test
    void extraIdRejectsLaterSystemTurn() {
        List<Turn> prompt = List.of(Turn.user("Hi"), new Turn(Turn.Role.SYSTEM, "Late"));

        assertThatThrownBy(() -> new ExtraIdChatTemplate().promptPrefix(prompt))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("first turn");
    }

    @Test
    void emptyPromptIsRejected() {
        assertThatThrownBy(() -> new PlainChatTemplate().render(List.of(), "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least one turn");
    }

    @Test
    void forNameFindsBuiltIns() {
        assertThat(ChatTemplate.forName("plain")).isInstanceOf(PlainChatTemplate.class);
        assertThat(ChatTemplate.forName("extra-id")).isInstanceOf(ExtraIdChatTemplate.class);
    }

    @Test
    void forNameRejectsUnknown() {
        assertThatThrownBy(() -> ChatTemplate.forName("llama3"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("llama3")
                .hasMessageContaining("extra-id");
    }
}
