package dev.kiln.models.word2vec;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Word vectors: one row of {@code dim} floats per word, with nearest neighbours by cosine
 * similarity and the two file formats of the word2vec tool.
 *
 * <ul>
 *   <li>text: a line {@code <words> <dim>}, then per word a line {@code <word> <v1> … <vdim>}, each value
 *       printed with six decimals ({@code %.6f}, as the tool's {@code -binary 0} does);</li>
 *   <li>binary: the same header line, then per word {@code <word>}, a space, {@code dim} little-endian
 *       IEEE floats and a newline (the tool's {@code -binary 1}).</li>
 * </ul>
 * Both are what gensim's {@code KeyedVectors.load_word2vec_format(path, binary=…)} reads.
 */
public final class Embeddings {

    /** A word and its cosine similarity to the query. */
    public record Neighbour(String word, double similarity) {
    }

    private final String[] words;
    private final float[] vectors;
    private final int dim;
    private final Map<String, Integer> rows;
    private float[] unit;

    /** Vectors by row: {@code vectors[r·dim .. (r+1)·dim)} belongs to {@code words[r]} (the arrays are not copied). */
    public Embeddings(String[] words, float[] vectors, int dim) {
        Objects.requireNonNull(words, "words");
        Objects.requireNonNull(vectors, "vectors");
        if (dim < 1 || (long) words.length * dim != vectors.length) {
            throw new IllegalArgumentException("embeddings: " + words.length + " words x dim " + dim + " need "
                    + (long) words.length * dim + " values, got " + vectors.length);
        }
        this.words = words;
        this.vectors = vectors;
        this.dim = dim;
        this.rows = new HashMap<>(words.length * 2);
        for (int r = 0; r < words.length; r++) {
            if (words[r].isEmpty() || words[r].chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException("embeddings: word " + r + " '" + words[r] + "' is empty or holds whitespace");
            }
            if (rows.put(words[r], r) != null) {
                throw new IllegalArgumentException("embeddings: word '" + words[r] + "' appears twice");
            }
        }
    }

    public int size() {
        return words.length;
    }

    public int dim() {
        return dim;
    }

    public String word(int row) {
        return words[row];
    }

    /** The row of {@code word}, or -1 when it is not in the vocabulary. */
    public int row(String word) {
        Integer r = rows.get(word);
        return r == null ? -1 : r;
    }

    /** The vectors by row (not a copy). */
    public float[] vectorsByRow() {
        return vectors;
    }

    /** A copy of {@code word}'s vector. */
    public float[] vector(String word) {
        int r = requireRow(word);
        float[] v = new float[dim];
        System.arraycopy(vectors, r * dim, v, 0, dim);
        return v;
    }

    private int requireRow(String word) {
        int r = row(word);
        if (r < 0) {
            throw new IllegalArgumentException("'" + word + "' is not in the vocabulary (" + words.length + " words"
                    + (words.length > 0 ? ", e.g. '" + words[0] + "'" : "") + ")");
        }
        return r;
    }

    /** Rows scaled to unit length (computed once; zero rows stay zero). */
    float[] unitVectors() {
        if (unit == null) {
            float[] u = new float[vectors.length];
            for (int r = 0; r < words.length; r++) {
                double n = 0;
                for (int c = 0; c < dim; c++) {
                    n += (double) vectors[r * dim + c] * vectors[r * dim + c];
                }
                float inv = n > 0 ? (float) (1 / Math.sqrt(n)) : 0f;
                for (int c = 0; c < dim; c++) {
                    u[r * dim + c] = vectors[r * dim + c] * inv;
                }
            }
            unit = u;
        }
        return unit;
    }

    /**
     * The {@code top} words most similar to {@code word} by cosine, the word itself left out.
     *
     * @throws IllegalArgumentException when {@code word} is not in the vocabulary (naming it)
     */
    public List<Neighbour> nearest(String word, int top) {
        int r = requireRow(word);
        float[] u = unitVectors();
        float[] q = new float[dim];
        System.arraycopy(u, r * dim, q, 0, dim);
        return best(q, top, new int[] {r});
    }

    /** The rows with the highest dot product with {@code q} (unit rows), skipping {@code exclude}, best first. */
    List<Neighbour> best(float[] q, int top, int[] exclude) {
        float[] u = unitVectors();
        int n = Math.min(top, words.length - exclude.length);
        int[] bestRow = new int[Math.max(0, n)];
        double[] bestSim = new double[Math.max(0, n)];
        int filled = 0;
        outer:
        for (int r = 0; r < words.length; r++) {
            for (int x : exclude) {
                if (x == r) {
                    continue outer;
                }
            }
            double s = 0;
            for (int c = 0; c < dim; c++) {
                s += q[c] * u[r * dim + c];
            }
            if (filled < n || (n > 0 && s > bestSim[n - 1])) {
                int i = filled < n ? filled++ : n - 1;
                while (i > 0 && bestSim[i - 1] < s) {
                    bestSim[i] = bestSim[i - 1];
                    bestRow[i] = bestRow[i - 1];
                    i--;
                }
                bestSim[i] = s;
                bestRow[i] = r;
            }
        }
        List<Neighbour> out = new ArrayList<>(filled);
        for (int i = 0; i < filled; i++) {
            out.add(new Neighbour(words[bestRow[i]], bestSim[i]));
        }
        return out;
    }

    /** The word2vec text format (see the class comment). */
    public void writeText(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write(words.length + " " + dim + "\n");
            StringBuilder sb = new StringBuilder();
            for (int r = 0; r < words.length; r++) {
                sb.setLength(0);
                sb.append(words[r]);
                for (int c = 0; c < dim; c++) {
                    sb.append(' ').append(String.format(Locale.ROOT, "%.6f", vectors[r * dim + c]));
                }
                sb.append('\n');
                w.write(sb.toString());
            }
        }
    }

    /** The word2vec binary format (see the class comment). */
    public void writeBinary(Path file) throws IOException {
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(file))) {
            o.write((words.length + " " + dim + "\n").getBytes(StandardCharsets.UTF_8));
            ByteBuffer row = ByteBuffer.allocate(dim * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (int r = 0; r < words.length; r++) {
                o.write(words[r].getBytes(StandardCharsets.UTF_8));
                o.write(' ');
                row.clear();
                for (int c = 0; c < dim; c++) {
                    row.putFloat(vectors[r * dim + c]);
                }
                o.write(row.array());
                o.write('\n');
            }
        }
    }

    /**
     * Reads either word2vec format.
     *
     * @throws IOException naming the file and the line or entry when it is not such a file
     */
    public static Embeddings read(Path file, boolean binary) throws IOException {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
            String header = readToken(in, '\n', file, "header");
            String[] hd = header.trim().split(" ");
            int n, dim;
            try {
                n = Integer.parseInt(hd[0]);
                dim = Integer.parseInt(hd[1]);
            } catch (RuntimeException e) {
                throw new IOException(file + ": expected a header '<words> <dim>', got '" + header + "'");
            }
            String[] words = new String[n];
            float[] v = new float[Math.multiplyExact(n, dim)];
            byte[] buf = new byte[dim * 4];
            for (int r = 0; r < n; r++) {
                if (binary) {
                    words[r] = readToken(in, ' ', file, "word " + r).strip();
                    in.readFully(buf);
                    ByteBuffer bb = ByteBuffer.wrap(buf).order(ByteOrder.LITTLE_ENDIAN);
                    for (int c = 0; c < dim; c++) {
                        v[r * dim + c] = bb.getFloat();
                    }
                } else {
                    String line = readToken(in, '\n', file, "line " + (r + 2));
                    String[] f = line.strip().split(" ");
                    if (f.length != dim + 1) {
                        throw new IOException(file + " line " + (r + 2) + ": expected a word and " + dim + " values, got "
                                + (f.length - 1) + " values");
                    }
                    words[r] = f[0];
                    for (int c = 0; c < dim; c++) {
                        try {
                            v[r * dim + c] = Float.parseFloat(f[c + 1]);
                        } catch (NumberFormatException e) {
                            throw new IOException(file + " line " + (r + 2) + ": value " + (c + 1) + " '" + f[c + 1] + "' is not a number");
                        }
                    }
                }
            }
            return new Embeddings(words, v, dim);
        } catch (EOFException e) {
            throw new IOException(file + " ends early: " + e.getMessage(), e);
        }
    }

    private static String readToken(InputStream in, char end, Path file, String what) throws IOException {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("no " + what + " in " + file);
            }
            if (c == end) {
                return b.toString(StandardCharsets.UTF_8);
            }
            if (!(end == ' ' && c == '\n' && b.size() == 0)) {
                b.write(c);
            }
        }
    }
}
