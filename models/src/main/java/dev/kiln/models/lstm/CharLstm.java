package dev.kiln.models.lstm;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.nn.Embedding;
import dev.kiln.nn.LSTM;
import dev.kiln.nn.Linear;
import dev.kiln.nn.Module;

/** Character LSTM language model: embedding, a multi-layer {@link LSTM}, a vocabulary head; logits {@code [B·L, V]}. */
public final class CharLstm extends Module implements CharLanguageModel.Autoregressive {

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

    /** Carries the LSTM's {@code h, c} from one call to the next, so each new character costs one step. */
    @Override
    public CharLanguageModel.Decoder decoder() {
        Device device = parameters().get(0).device();
        return new CharLanguageModel.Decoder() {
            private Tensor h;
            private Tensor c;

            @Override
            public float[] feed(int[] ids) {
                if (ids.length == 0) {
                    throw new IllegalArgumentException("feed needs at least one id");
                }
                try (Autograd.Scope ignored = Autograd.noGrad()) {
                    Tensor x = CharLstm.this.<Embedding>module("embed").forward(Tensor.fromIndices(ids, 1, ids.length).to(device));
                    LSTM.Output out = CharLstm.this.<LSTM>module("lstm").forward(x, h, c, null);
                    h = out.h();
                    c = out.c();
                    Tensor last = out.output().select(1, ids.length - 1);
                    return CharLstm.this.<Linear>module("head").forward(last).toFloatArray();
                }
            }
        };
    }

    /** {@code kiln train lstm}: 1 layer of 128 hidden units, for the full run and quick mode alike. */
    public static CharLanguageModel model() {
        return new CharLanguageModel("lstm", "character-level LSTM language model on the KJV or a text file (held-out bits per character)",
                new CharLanguageModel.Preset(128, 64, 64 * 400, 0, 10, 3e-3f, 1f),
                new CharLanguageModel.Preset(64, 32, 32 * 120, 20_000, 1, 1e-2f, 1f),
                (v, g) -> new CharLstm(v, 32, 128, 1, g));
    }
}
