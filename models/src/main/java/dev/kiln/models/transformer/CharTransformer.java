package dev.kiln.models.transformer;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Generator;
import dev.kiln.Tensor;
import dev.kiln.models.lstm.CharLanguageModel;
import dev.kiln.nn.Module;
import dev.kiln.nn.TransformerLM;

import java.util.Arrays;

/** Character decoder-only Transformer language model (pre-norm, learned positions); logits {@code [B·L, V]}. */
public final class CharTransformer extends Module implements CharLanguageModel.Autoregressive {

    public CharTransformer(int vocab, int dim, int heads, int layers, int maxLen, Generator g) {
        registerModule("lm", new TransformerLM(vocab, dim, heads, layers, 4 * dim, maxLen, 0f, g, g));
    }

    @Override
    public Tensor forward(Tensor ids) {
        return CharLanguageModel.flat(this.<TransformerLM>module("lm").forward(ids));
    }

    /**
     * Re-reads the last {@link TransformerLM#maxLen()} characters for every new one (a sliding
     * window once the text is longer than the positional table).
     */
    @Override
    public CharLanguageModel.Decoder decoder() {
        Device device = parameters().get(0).device();
        TransformerLM lm = module("lm");
        return new CharLanguageModel.Decoder() {
            private int[] context = new int[0];

            @Override
            public float[] feed(int[] ids) {
                if (ids.length == 0) {
                    throw new IllegalArgumentException("feed needs at least one id");
                }
                int[] all = Arrays.copyOf(context, context.length + ids.length);
                System.arraycopy(ids, 0, all, context.length, ids.length);
                context = all.length > lm.maxLen() ? Arrays.copyOfRange(all, all.length - lm.maxLen(), all.length) : all;
                try (Autograd.Scope ignored = Autograd.noGrad()) {
                    Tensor logits = lm.forward(Tensor.fromIndices(context, 1, context.length).to(device));
                    return logits.select(1, context.length - 1).toFloatArray();
                }
            }
        };
    }

    /** {@code kiln train transformer}. */
    public static CharLanguageModel model() {
        return new CharLanguageModel("transformer",
                "character-level decoder-only Transformer LM on the KJV or a text file (held-out bits per character)",
                new CharLanguageModel.Preset(128, 64, 64 * 400, 0, 10, 1e-3f, 1f),
                new CharLanguageModel.Preset(64, 32, 32 * 120, 20_000, 1, 3e-3f, 1f),
                (v, g) -> new CharTransformer(v, 64, 4, 2, 128, g));
    }
}
