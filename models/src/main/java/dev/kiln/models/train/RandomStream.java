package dev.kiln.models.train;

import dev.kiln.Generator;

import java.util.Objects;

/**
 * A seeded random stream whose position a checkpoint records, so that a resumed run continues
 * it where the interrupted run stopped: a {@link Generator} (dropout, noise, exploration) through
 * {@link #of(Generator)}, or any other reproducible source that can be replayed to a position.
 */
public interface RandomStream {

    /** The seed; a resume with another seed is refused. */
    long seed();

    /** How far the stream has been drawn (a generator's offset, a count of draws). */
    long position();

    /**
     * Moves a stream that has drawn no further than {@code position} to {@code position}.
     *
     * @throws IllegalArgumentException if the stream cannot reach it (it is already past it)
     */
    void seek(long position);

    /** A {@link Generator} as a stream: its position is the Philox offset. */
    static RandomStream of(Generator g) {
        Objects.requireNonNull(g, "generator");
        return new RandomStream() {
            @Override
            public long seed() {
                return g.seed();
            }

            @Override
            public long position() {
                return g.offset();
            }

            @Override
            public void seek(long position) {
                long gap = position - g.offset();
                if (gap < 0 || gap % 4 != 0) {
                    throw new IllegalArgumentException("the generator is at offset " + g.offset() + " and cannot move to "
                            + position);
                }
                g.advance(gap);
            }
        };
    }
}
