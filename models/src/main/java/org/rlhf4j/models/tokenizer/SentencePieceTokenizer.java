package org.rlhf4j.models.tokenizer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import org.rlhf4j.models.gguf.GgufFile;

/**
 * SentencePiece BPE tokenizer over a scored vocabulary, encoding as llama.cpp does for GGUF
 * files whose {@code tokenizer.ggml.model} is {@code "llama"}.
 *
 * <p>Encoding splits the text at the text forms of the special tokens (unknown, control and
 * user-defined tokens such as {@code <s>}, {@code </s>} and {@code <unk>}), which map to their
 * ids. Each remaining fragment that starts the text or follows a special token gets a leading
 * space (the SentencePiece dummy prefix). Spaces become U+2581. The fragment starts as single
 * code points. The adjacent pair whose concatenation is the best-scoring vocabulary piece is
 * merged, the leftmost pair winning a tie, until no pair forms a vocabulary piece. A code point
 * that is not in the vocabulary falls back to its UTF-8 bytes as {@code <0xNN>} tokens.
 *
 * <p>Decoding maps U+2581 back to a space, reassembles byte tokens as UTF-8, drops the leading
 * space of the first piece (the dummy prefix) and leaves out unknown, control and unused tokens.
 *
 * <p>The vocabulary has no padding token. {@link #padId()} returns the unknown-token id; padded
 * positions must always be masked out, so the id fed there never matters.
 */
public final class SentencePieceTokenizer implements Tokenizer {

    /** The character that stands for a space inside pieces (U+2581, LOWER ONE EIGHTH BLOCK). */
    public static final char SPACE_MARK = '\u2581';

    private static final Comparator<Bigram> MERGE_ORDER =
            Comparator.comparingDouble((Bigram b) -> -b.score).thenComparingInt(b -> b.left);

    private final List<String> pieces;
    private final float[] scores;
    private final TokenType[] types;
    private final int bosId;
    private final int eosId;
    private final int unkId;
    private final boolean addSpacePrefix;
    private final Map<String, Integer> idsByPiece;
    private final int[] byteTokenIds;
    private final Map<Character, List<String>> specialsByFirstChar;

    private SentencePieceTokenizer(List<String> pieces, float[] scores, TokenType[] types, int bosId, int eosId,
            int unkId, boolean addSpacePrefix) {
        this.pieces = List.copyOf(pieces);
        this.scores = scores.clone();
        this.types = types.clone();
        this.bosId = bosId;
        this.eosId = eosId;
        this.unkId = unkId;
        this.addSpacePrefix = addSpacePrefix;
        this.idsByPiece = indexPieces(this.pieces);
        this.byteTokenIds = indexByteTokens(this.pieces, this.types);
        this.specialsByFirstChar = indexSpecials(this.pieces, this.types);
    }

    /**
     * Creates a tokenizer from a vocabulary.
     *
     * @param pieces the piece text of each id
     * @param scores the merge score of each id (higher merges first)
     * @param typeCodes the {@link TokenType} code of each id
     * @param bosId the beginning-of-sequence id
     * @param eosId the end-of-sequence id
     * @param unkId the unknown-token id, also used for padding
     * @param addSpacePrefix whether text fragments get a leading space before encoding
     * @return the tokenizer
     * @throws IllegalArgumentException when the arrays differ in length, are empty, or an id is out of range
     */
    public static SentencePieceTokenizer of(List<String> pieces, float[] scores, int[] typeCodes, int bosId, int eosId,
            int unkId, boolean addSpacePrefix) {
        Objects.requireNonNull(pieces, "pieces");
        int size = pieces.size();
        if (size == 0) {
            throw new IllegalArgumentException("the vocabulary is empty");
        }
        if (scores.length != size || typeCodes.length != size) {
            throw new IllegalArgumentException("vocabulary arrays differ in length: " + size + " pieces, "
                    + scores.length + " scores, " + typeCodes.length + " types");
        }
        checkId("bosId", bosId, size);
        checkId("eosId", eosId, size);
        checkId("unkId", unkId, size);
        TokenType[] types = new TokenType[size];
        for (int i = 0; i < size; i++) {
            types[i] = TokenType.fromCode(typeCodes[i]);
        }
        return new SentencePieceTokenizer(pieces, scores, types, bosId, eosId, unkId, addSpacePrefix);
    }

    /**
     * Creates the tokenizer stored in a GGUF file ({@code tokenizer.ggml.*} keys).
     *
     * @param gguf the parsed file
     * @return the tokenizer
     * @throws IllegalArgumentException when the file has no SentencePiece ("llama") vocabulary
     */
    public static SentencePieceTokenizer fromGguf(GgufFile gguf) {
        String model = gguf.getString("tokenizer.ggml.model");
        if (!"llama".equals(model)) {
            throw new IllegalArgumentException("GGUF file " + gguf.path() + " has tokenizer model '" + model
                    + "'; only the SentencePiece model 'llama' is supported");
        }
        List<String> pieces = gguf.getStringArray("tokenizer.ggml.tokens");
        float[] scores = gguf.contains("tokenizer.ggml.scores")
                ? gguf.getFloatArray("tokenizer.ggml.scores") : new float[pieces.size()];
        int[] types = gguf.getIntArray("tokenizer.ggml.token_type");
        return of(pieces, scores, types,
                (int) gguf.getLong("tokenizer.ggml.bos_token_id", 1),
                (int) gguf.getLong("tokenizer.ggml.eos_token_id", 2),
                (int) gguf.getLong("tokenizer.ggml.unknown_token_id", 0),
                gguf.getBoolean("tokenizer.ggml.add_space_prefix", true));
    }

    /**
     * Reads a tokenizer written by {@link #writeJson(Path)}.
     *
     * @param file the JSON file
     * @return the tokenizer
     * @throws IOException when the file cannot be read or is not a tokenizer file
     */
    public static SentencePieceTokenizer readJson(Path file) throws IOException {
        return SentencePieceJson.read(file);
    }

    /**
     * Writes the vocabulary and settings to a JSON file that {@link #readJson(Path)} reads back.
     *
     * @param file the target file
     * @throws IOException when writing fails
     */
    public void writeJson(Path file) throws IOException {
        SentencePieceJson.write(this, file);
    }

    private static void checkId(String name, int id, int size) {
        if (id < 0 || id >= size) {
            throw new IllegalArgumentException(name + " " + id + " is outside the vocabulary of " + size + " tokens");
        }
    }

    private static Map<String, Integer> indexPieces(List<String> pieces) {
        Map<String, Integer> ids = new HashMap<>(pieces.size() * 2);
        for (int i = 0; i < pieces.size(); i++) {
            ids.putIfAbsent(pieces.get(i), i);
        }
        return ids;
    }

    private static int[] indexByteTokens(List<String> pieces, TokenType[] types) {
        int[] ids = new int[256];
        Arrays.fill(ids, -1);
        for (int i = 0; i < pieces.size(); i++) {
            int value = byteValue(pieces.get(i));
            if (types[i] == TokenType.BYTE && value >= 0 && ids[value] < 0) {
                ids[value] = i;
            }
        }
        return ids;
    }

    private static int byteValue(String piece) {
        if (piece.length() != 6 || !piece.startsWith("<0x") || piece.charAt(5) != '>') {
            return -1;
        }
        try {
            return Integer.parseInt(piece.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Map<Character, List<String>> indexSpecials(List<String> pieces, TokenType[] types) {
        Map<Character, List<String>> byFirstChar = new HashMap<>();
        for (int i = 0; i < pieces.size(); i++) {
            String piece = pieces.get(i);
            if (types[i].isSpecial() && !piece.isEmpty()) {
                byFirstChar.computeIfAbsent(piece.charAt(0), c -> new ArrayList<>()).add(piece);
            }
        }
        // Where several special tokens start at the same position, the one of maximum length wins.
        byFirstChar.values().forEach(list -> list.sort(Comparator.comparingInt(String::length).reversed()));
        return byFirstChar;
    }

    @Override
    public int vocabSize() {
        return pieces.size();
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    /** Returns the unknown-token id: the vocabulary has no padding token, and padded positions are always masked. */
    @Override
    public int padId() {
        return unkId;
    }

    /** Returns the id of the unknown token. */
    public int unkId() {
        return unkId;
    }

    /** Returns whether text fragments get a leading space (the SentencePiece dummy prefix). */
    public boolean addSpacePrefix() {
        return addSpacePrefix;
    }

    /** Returns the piece text of each id. */
    public List<String> pieces() {
        return pieces;
    }

    /** Returns a copy of the merge scores. */
    public float[] scores() {
        return scores.clone();
    }

    /** Returns the type of a token id. */
    public TokenType type(int id) {
        return types[checkedId(id)];
    }

    /** Returns the piece text of a token id. */
    public String piece(int id) {
        return pieces.get(checkedId(id));
    }

    private int checkedId(int id) {
        if (id < 0 || id >= pieces.size()) {
            throw new IllegalArgumentException("token id " + id + " is outside the vocabulary of " + pieces.size()
                    + " tokens");
        }
        return id;
    }

    @Override
    public int[] encode(String text) {
        Objects.requireNonNull(text, "text");
        IntList ids = new IntList(text.length() + 1);
        boolean afterSpecial = true;
        int start = 0;
        int at = 0;
        while (at < text.length()) {
            String special = specialAt(text, at);
            if (special == null) {
                at++;
                continue;
            }
            if (at > start) {
                encodeFragment(text.substring(start, at), afterSpecial, ids);
            }
            ids.add(idsByPiece.get(special));
            afterSpecial = true;
            at += special.length();
            start = at;
        }
        if (start < text.length()) {
            encodeFragment(text.substring(start), afterSpecial, ids);
        }
        return ids.toArray();
    }

    private String specialAt(String text, int at) {
        List<String> candidates = specialsByFirstChar.get(text.charAt(at));
        if (candidates != null) {
            for (String candidate : candidates) {
                if (text.startsWith(candidate, at)) {
                    return candidate;
                }
            }
        }
        return null;
    }

    private void encodeFragment(String fragment, boolean afterSpecial, IntList ids) {
        String text = (addSpacePrefix && afterSpecial ? " " + fragment : fragment).replace(' ', SPACE_MARK);
        Symbol[] symbols = splitCodePoints(text);
        mergeBestPairs(text, symbols);
        for (int i = 0; i >= 0 && i < symbols.length; i = symbols[i].next) {
            String piece = text.substring(symbols[i].start, symbols[i].start + symbols[i].length);
            Integer id = idsByPiece.get(piece);
            if (id != null) {
                ids.add(id);
            } else {
                for (byte b : piece.getBytes(StandardCharsets.UTF_8)) {
                    int byteId = byteTokenIds[b & 0xFF];
                    ids.add(byteId >= 0 ? byteId : unkId);
                }
            }
        }
    }

    private static Symbol[] splitCodePoints(String text) {
        int count = text.codePointCount(0, text.length());
        Symbol[] symbols = new Symbol[count];
        int offset = 0;
        for (int i = 0; i < count; i++) {
            int length = Character.charCount(text.codePointAt(offset));
            symbols[i] = new Symbol(offset, length, i - 1, i + 1 < count ? i + 1 : -1);
            offset += length;
        }
        return symbols;
    }

    /** Merges adjacent symbols best score first, using a queue with lazy removal of stale pairs. */
    private void mergeBestPairs(String text, Symbol[] symbols) {
        PriorityQueue<Bigram> queue = new PriorityQueue<>(MERGE_ORDER);
        for (int i = 1; i < symbols.length; i++) {
            offerPair(text, symbols, i - 1, i, queue);
        }
        while (!queue.isEmpty()) {
            Bigram pair = queue.poll();
            Symbol left = symbols[pair.left];
            Symbol right = symbols[pair.right];
            if (left.length == 0 || right.length == 0 || left.length + right.length != pair.length) {
                continue;
            }
            left.length += right.length;
            right.length = 0;
            left.next = right.next;
            if (right.next >= 0) {
                symbols[right.next].prev = pair.left;
            }
            offerPair(text, symbols, left.prev, pair.left, queue);
            offerPair(text, symbols, pair.left, left.next, queue);
        }
    }

    private void offerPair(String text, Symbol[] symbols, int left, int right, PriorityQueue<Bigram> queue) {
        if (left < 0 || right < 0) {
            return;
        }
        int start = symbols[left].start;
        int length = symbols[left].length + symbols[right].length;
        Integer id = idsByPiece.get(text.substring(start, start + length));
        if (id != null) {
            queue.add(new Bigram(left, right, scores[id], length));
        }
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(ids.length * 4);
        boolean first = true;
        for (int id : ids) {
            TokenType type = type(id);
            if (type == TokenType.CONTROL || type == TokenType.UNKNOWN || type == TokenType.UNUSED) {
                continue;
            }
            byte[] bytes = pieceBytes(id, type);
            int skip = first && addSpacePrefix && bytes.length > 0 && bytes[0] == ' ' ? 1 : 0;
            out.write(bytes, skip, bytes.length - skip);
            first = false;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private byte[] pieceBytes(int id, TokenType type) {
        String piece = pieces.get(id);
        if (type == TokenType.BYTE) {
            int value = byteValue(piece);
            if (value >= 0) {
                return new byte[] {(byte) value};
            }
        }
        return piece.replace(SPACE_MARK, ' ').getBytes(StandardCharsets.UTF_8);
    }

    /** A run of the text being encoded, linked to its neighbours; length 0 marks a symbol merged away. */
    private static final class Symbol {
        final int start;
        int length;
        int prev;
        int next;

        Symbol(int start, int length, int prev, int next) {
            this.start = start;
            this.length = length;
            this.prev = prev;
            this.next = next;
        }
    }

    /** A candidate merge of two adjacent symbols; {@code length} detects pairs made stale by other merges. */
    private record Bigram(int left, int right, float score, int length) {
    }

    /** A growable int array. */
    private static final class IntList {
        private int[] values;
        private int size;

        IntList(int capacity) {
            values = new int[Math.max(4, capacity)];
        }

        void add(int value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        int[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
