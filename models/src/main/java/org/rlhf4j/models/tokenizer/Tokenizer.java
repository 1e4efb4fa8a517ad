package org.rlhf4j.models.tokenizer;

/**
 * Maps text to token ids and back.
 *
 * <p>{@link #encode(String)} treats the text forms of the special tokens (for example {@code <s>}
 * and {@code </s>}) as those tokens, so text that a chat template already wrote a BOS into is not
 * given a second one by {@link #encodeWithSpecials(String, boolean, boolean)}.
 */
public interface Tokenizer {

    /** Returns the number of token ids. */
    int vocabSize();

    /** Returns the id of the beginning-of-sequence token. */
    int bosId();

    /** Returns the id of the end-of-sequence token. */
    int eosId();

    /** Returns the id used for padding; padded positions are also masked out. */
    int padId();

    /**
     * Encodes text without adding special tokens.
     *
     * @param text the text to encode
     * @return token ids
     */
    int[] encode(String text);

    /**
     * Encodes text and adds BOS and EOS where asked, never duplicating one that the text already
     * starts or ends with.
     *
     * @param text the text to encode
     * @param addBos whether the result must start with BOS
     * @param addEos whether the result must end with EOS
     * @return token ids
     */
    default int[] encodeWithSpecials(String text, boolean addBos, boolean addEos) {
        int[] body = encode(text);
        boolean needBos = addBos && (body.length == 0 || body[0] != bosId());
        boolean needEos = addEos && (body.length == 0 || body[body.length - 1] != eosId());
        int[] ids = new int[body.length + (needBos ? 1 : 0) + (needEos ? 1 : 0)];
        int at = 0;
        if (needBos) {
            ids[at++] = bosId();
        }
        System.arraycopy(body, 0, ids, at, body.length);
        if (needEos) {
            ids[ids.length - 1] = eosId();
        }
        return ids;
    }

    /**
     * Decodes token ids to text. Special tokens are left out.
     *
     * @param ids token ids
     * @return the decoded text
     */
    String decode(int[] ids);
}
