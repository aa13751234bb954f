package dev.kiln.models.transformer;

import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.nn.Module;
import dev.kiln.nn.TransformerLM;

/** Character decoder-only Transformer language model (pre-norm, learned positions); logits {@code [B·L, V]}. */
public final class CharTransformer extends Module {

    public CharTransformer(int vocab, int dim, int heads, int layers, int maxLen, Generator g) {
        registerModule("lm", new TransformerLM(vocab, dim, heads, layers, 4 * dim, maxLen, 0f, g, g));
    }

    @Override
    public Tensor forward(Tensor ids) {
        return CharLanguageModel.flat(this.<TransformerLM>module("lm").forward(ids));
    }

    /** {@code kiln train transformer}. */
    public static CharLanguageModel model() {
        return new CharLanguageModel("transformer", "character-level decoder-only Transformer LM on the KJV (held-out bits per character)",
                new CharLanguageModel.Preset(128, 64, 64 * 400, 0, 10, 1e-3f, 1f),
                new CharLanguageModel.Preset(64, 32, 32 * 120, 20_000, 1, 3e-3f, 1f),
                (v, g) -> new CharTransformer(v, 64, 4, 2, 128, g));
    }
}
