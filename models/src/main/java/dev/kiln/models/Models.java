package dev.kiln.models;

import dev.kiln.models.cnn.CnnModel;
import dev.kiln.models.dnn.DnnModel;
import dev.kiln.models.gcn.GcnModel;
import dev.kiln.models.word2vec.Word2VecModel;
import dev.kiln.models.dqn.DqnModel;
import dev.kiln.models.lstm.CharLstm;
import dev.kiln.models.seq2seq.Seq2SeqModel;
import dev.kiln.models.transformer.CharTransformer;
import dev.kiln.models.resnet.ResNetModel;
import dev.kiln.models.ddpm.DdpmModel;
import dev.kiln.models.gan.GanModel;

import java.util.List;
import java.util.Optional;

/**
 * The registry of trainable models, in the order {@code kiln demo} runs them. Adding a model is
 * one line here plus its package.
 */
public final class Models {

    private static final List<KilnModel> ALL = List.of(
            new DnnModel(),
            // vision (issue 4)
            new CnnModel(false), new CnnModel(true), new ResNetModel(),
            // sequence models (issue 5)
            CharLstm.model(), CharTransformer.model(), new Seq2SeqModel(),
            // graph networks (sparse family)
            new GcnModel(),
            // word embeddings (sparse updates)
            new Word2VecModel(),
            // generative models
            new DdpmModel(), new GanModel(),
            // reinforcement learning
            new DqnModel());

    private Models() {
    }

    public static List<KilnModel> all() {
        return ALL;
    }

    public static Optional<KilnModel> find(String name) {
        return ALL.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
