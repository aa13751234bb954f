package dev.kiln.models.lstm;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.LSTM;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;

/** Character LSTM language model: embedding, a multi-layer {@link LSTM}, a vocabulary head; logits {@code [B·L, V]}. */
public final class CharLstm extends Module {

    public CharLstm(int vocab, int embed, int hidden, int layers, Generator g) {
        registerModule("embed", new Embedding(vocab, embed, g));
        registerModule("lstm", new LSTM(embed, hidden, layers, g));
        registerModule("head", new Linear(hidden, vocab, g));
    }

    @Override
    public Tensor forward(Tensor ids) {
        Tensor h = this.<LSTM>module("lstm").forward(this.<Embedding>module("embed").forward(ids));
        return CharLanguageModel.flat(this.<Linear>module("head").forward(h));
    }

    /** {@code kiln train lstm}: 1-layer 256 hidden for the full run; 1-layer 128 for quick mode. */
    public static CharLanguageModel model() {
        return new CharLanguageModel("lstm", "character-level LSTM language model on the KJV (held-out bits per character)",
                new CharLanguageModel.Preset(128, 64, 64 * 400, 0, 10, 3e-3f, 1f),
                new CharLanguageModel.Preset(64, 32, 32 * 120, 20_000, 1, 1e-2f, 1f),
                (v, g) -> new CharLstm(v, 32, 128, 1, g));
    }
}
