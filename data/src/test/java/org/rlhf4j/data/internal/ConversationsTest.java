package org.rlhf4j.data.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.rlhf4j.api.data.Turn;

class ConversationsTest {

    @Test
    void plainPromptIsOneUserTurn() {
        List<Turn> turns = Conversations.parseExtraIdPrompt("c#", "prompt");

        assertThat(turns).containsExactly(Turn.user("c#"));
    }

    @Test
    void extraIdPromptSplitsTurns() {
        String prompt = "Hi\n<extra_id_1>Assistant\nHello!\n<extra_id_1>User\nTell me a joke.";

        List<Turn> turns = Conversations.parseExtraIdPrompt(prompt, "prompt");

        assertThat(turns).containsExactly(Turn.user("Hi"), Turn.assistant("Hello!"), Turn.user("Tell me a joke."));
    }

    @Test
    void extraIdPromptKeepsUnknownMarkerAsText() {
        String prompt = "a\n<extra_id_1>Other\nb";

        List<Turn> turns = Conversations.parseExtraIdPrompt(prompt, "prompt");

        assertThat(turns).containsExactly(Turn.user(prompt));
    }

    @Test
    void extraIdPromptEndingWithAssistantIsRejected() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> Conversations.parseExtraIdPrompt("Hi\n<extra_id_1>Assistant\nHello", "prompt"));

        assertThat(problem.field()).isEqualTo("prompt");
        assertThat(problem.getMessage()).contains("ends with an assistant turn");
    }

    @Test
    void dialogueSplitsTurnsAndMarkerSpace() {
        String dialogue = "\n\nHuman: Hi\n\nAssistant:  Hello\n\nHuman: Bye";

        List<Turn> turns = Conversations.parseHumanAssistantDialogue(dialogue, "chosen");

        assertThat(turns).containsExactly(Turn.user("Hi"), Turn.assistant(" Hello"), Turn.user("Bye"));
    }

    @Test
    void dialogueKeepsRoleWordsInsideText() {
        String dialogue = "\n\nHuman: Say Human: twice\n\n\n\nHuman: ok";

        List<Turn> turns = Conversations.parseHumanAssistantDialogue(dialogue, "chosen");

        assertThat(turns).containsExactly(Turn.user("Say Human: twice\n\n"), Turn.user("ok"));
    }

    @Test
    void dialogueWithLeadingTextIsRejected() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> Conversations.parseHumanAssistantDialogue("intro\n\nHuman: Hi", "chosen"));

        assertThat(problem.getMessage()).contains("start with");
    }

    @Test
    void emptyDialogueIsRejected() {
        RecordProblem problem = catchThrowableOfType(RecordProblem.class,
                () -> Conversations.parseHumanAssistantDialogue("", "chosen"));

        assertThat(problem.getMessage()).contains("at least one");
    }
}
