package dev.kiln.data.text;

import java.util.Objects;

/**
 * A text cut into a training part and a held-out part (for language-model evaluation).
 *
 * @param train       the training text
 * @param heldOut     the held-out text
 * @param description what is held out, e.g. {@code "Hebrews, James, … Revelation (9 books)"}
 */
public record TextSplit(String train, String heldOut, String description) {

    public TextSplit {
        Objects.requireNonNull(train, "train");
        Objects.requireNonNull(heldOut, "heldOut");
        Objects.requireNonNull(description, "description");
    }

    @Override
    public String toString() {
        return "TextSplit[train=" + train.length() + " chars, heldOut=" + heldOut.length() + " chars: "
                + description + "]";
    }
}
