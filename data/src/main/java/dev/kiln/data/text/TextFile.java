package dev.kiln.data.text;

import dev.kiln.data.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads a text file the user names (e.g. {@code kiln train lstm --dataset file --data my.txt})
 * as one string, strictly as UTF-8.
 *
 * <pre>{@code
 * String text = TextFile.load(Path.of("shakespeare.txt"));
 * TextSplit split = TextFile.split(text, 0.05);        // last ~5 % (at a line break) held out
 * CharVocab vocab = CharVocab.build(split.train(), true);
 * }</pre>
 */
public final class TextFile {

    private TextFile() {
    }

    /**
     * The file's text. A leading UTF-8 byte-order mark is dropped; line breaks are kept as they are.
     *
     * @throws NoSuchFileException  if the file does not exist (the message names it)
     * @throws CorruptDataException if the file is empty or is not valid UTF-8 (naming the file and,
     *                              for bad UTF-8, the byte offset and the bytes found)
     * @throws IOException          if the path is a directory or cannot be read
     */
    public static String load(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "text file does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new IOException(file + ": is a directory, expected a UTF-8 text file");
        }
        byte[] bytes = Files.readAllBytes(file);
        return decode(file, bytes);
    }

    /**
     * Decodes {@code bytes} as strict UTF-8 (see {@link #load(Path)}); {@code source} is only used
     * in error messages and may be {@code null}.
     */
    public static String decode(Path source, byte[] bytes) throws CorruptDataException {
        Objects.requireNonNull(bytes, "bytes");
        int start = 0;
        if (bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB && (bytes[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        if (bytes.length - start == 0) {
            throw new CorruptDataException(source, "the text file is empty (" + bytes.length
                    + " bytes); expected UTF-8 text with at least one character");
        }
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start);
        CoderResult r = dec.decode(in, out, true);
        if (r.isUnderflow()) {
            r = dec.flush(out);
        }
        if (r.isError()) {
            int at = in.position();
            StringBuilder found = new StringBuilder();
            for (int i = at; i < Math.min(bytes.length, at + Math.max(1, r.length())); i++) {
                found.append(found.length() == 0 ? "" : " ").append(String.format("0x%02X", bytes[i] & 0xFF));
            }
            throw new CorruptDataException(source, "is not valid UTF-8: malformed byte sequence " + found
                    + " at byte offset " + at + " (line " + lineOf(bytes, at) + "); expected UTF-8 text");
        }
        out.flip();
        return out.toString();
    }

    /**
     * Splits {@code text} into a training part and a held-out tail of about {@code heldOutFraction}
     * of its characters, cut just after a line break when there is one in the tail (so no line is
     * split), else at the exact character position.
     *
     * @throws IllegalArgumentException if the fraction is not in (0, 1) or either part would be empty
     */
    public static TextSplit split(String text, double heldOutFraction) {
        Objects.requireNonNull(text, "text");
        if (!(heldOutFraction > 0 && heldOutFraction < 1)) {
            throw new IllegalArgumentException("heldOutFraction must be in (0, 1), got " + heldOutFraction);
        }
        if (text.length() < 2) {
            throw new IllegalArgumentException("text of " + text.length() + " characters is too short to split");
        }
        int cut = (int) Math.round(text.length() * (1 - heldOutFraction));
        cut = Math.max(1, Math.min(text.length() - 1, cut));
        if (Character.isLowSurrogate(text.charAt(cut))) {
            cut--;
        }
        int nl = text.indexOf('\n', cut - 1);
        if (nl >= 0 && nl + 1 < text.length()) {
            cut = nl + 1;
        }
        if (cut <= 0 || cut >= text.length()) {
            throw new IllegalArgumentException("text of " + text.length() + " characters is too short to hold out "
                    + heldOutFraction + " of it");
        }
        String heldOut = text.substring(cut);
        return new TextSplit(text.substring(0, cut), heldOut,
                "the last " + heldOut.length() + " characters (" + String.format(java.util.Locale.ROOT, "%.1f", 100.0
                        * heldOut.length() / text.length()) + " %)");
    }

    private static long lineOf(byte[] bytes, int offset) {
        long line = 1;
        for (int i = 0; i < offset; i++) {
            if (bytes[i] == '\n') {
                line++;
            }
        }
        return line;
    }
}
