package dev.kiln.data.text;

/**
 * A mapping between tokens and the integer ids {@code 0 .. size()-1} a model sees
 * ({@link CharVocab}: characters; {@link WordVocab}: lower-cased words and punctuation).
 *
 * <p>A vocabulary is saved with a model checkpoint as the string {@link #serialize()} returns and
 * restored with the implementing class's {@code parse(String)}; the round trip is exact.
 */
public interface Vocabulary {

    /** Number of ids (including the unknown id, if there is one). */
    int size();

    /** The id that stands for tokens not in the vocabulary, or {@code -1} if there is none. */
    int unknownId();

    /**
     * The ids of the tokens of {@code text}.
     *
     * @throws IllegalArgumentException if a token is not in the vocabulary and there is no unknown id
     *                                  (naming the token and its position)
     */
    int[] encode(String text);

    /**
     * The text of {@code ids}.
     *
     * @throws IllegalArgumentException if an id is outside {@code [0, size())}, naming the id and the size
     */
    String decode(int[] ids);

    /** The token with id {@code id} (throws like {@link #decode(int[])} for a bad id). */
    String token(int id);

    /** A string form that {@code parse(String)} of the same class turns back into an equal vocabulary. */
    String serialize();

    /** Throws the standard error for an id outside {@code [0, size)}. */
    static IllegalArgumentException badId(int id, int size, int position) {
        return new IllegalArgumentException("token id " + id + (position >= 0 ? " at position " + position : "")
                + " is outside the vocabulary: expected 0 <= id < " + size + " (vocabulary size " + size + ")");
    }
}
