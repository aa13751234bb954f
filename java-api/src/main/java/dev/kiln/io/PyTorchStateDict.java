package dev.kiln.io;

import dev.kiln.Autograd;
import dev.kiln.Device;
import dev.kiln.Tensor;
import dev.kiln.nn.BatchNorm2d;
import dev.kiln.nn.LSTM;
import dev.kiln.nn.Module;
import dev.kiln.nn.MultiheadAttention;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Kiln module's weights under PyTorch's {@code state_dict()} names and layouts, so that a model
 * built the same way in both loads the other's weights (through {@link SafeTensors}, for example).
 * Sub-modules keep their names ({@code Sequential} children are {@code 0}, {@code 1}, … as in
 * PyTorch); the layers with a PyTorch twin map as follows:
 *
 * <table>
 *   <caption>Kiln to PyTorch</caption>
 *   <tr><th>Kiln</th><th>PyTorch</th></tr>
 *   <tr><td>{@code Linear}, {@code Conv2d}, {@code LayerNorm}, {@code Embedding}</td>
 *       <td>the same: {@code weight}, {@code bias}</td></tr>
 *   <tr><td>{@code BatchNorm2d}</td><td>{@code weight}, {@code bias}, {@code running_mean},
 *       {@code running_var}, and {@code num_batches_tracked} (INT64 scalar) from
 *       {@link BatchNorm2d#numBatchesTracked()}</td></tr>
 *   <tr><td>{@code LSTM} {@code w_ih<l> [in, 4H]}, {@code w_hh<l> [H, 4H]}, {@code bias<l>}</td>
 *       <td>{@code weight_ih_l<l> [4H, in]}, {@code weight_hh_l<l> [4H, H]} (transposed; gate order
 *       i, f, g, o in both), {@code bias_ih_l<l>}, {@code bias_hh_l<l>} (Kiln's one bias is their sum;
 *       written as {@code bias_ih} with a zero {@code bias_hh}). PyTorch's twin is
 *       {@code nn.LSTM(..., batch_first=True)}.</td></tr>
 *   <tr><td>{@code MultiheadAttention} {@code q}, {@code k}, {@code v}, {@code out}</td>
 *       <td>{@code in_proj_weight [3·dim, dim]} and {@code in_proj_bias} (q, k, v stacked),
 *       {@code out_proj.weight}, {@code out_proj.bias}; twin {@code nn.MultiheadAttention(dim, heads,
 *       batch_first=True)}</td></tr>
 * </table>
 */
public final class PyTorchStateDict {

    private PyTorchStateDict() {
    }

    /** The module's parameters and buffers under PyTorch's names, as CPU tensors. */
    public static Map<String, Tensor> of(Module module) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            export(module, "", out);
        }
        return out;
    }

    /**
     * Loads a PyTorch-named state dict (tensors on any device; FLOAT32 for weights) into
     * {@code module}. Every name must be used and every tensor present; otherwise nothing is
     * changed and the error lists the missing and unexpected names.
     */
    public static void load(Module module, Map<String, Tensor> state) {
        Map<String, Tensor> kiln = new LinkedHashMap<>();
        Set<String> used = new LinkedHashSet<>();
        List<String> missing = new ArrayList<>();
        Map<BatchNorm2d, Long> tracked = new LinkedHashMap<>();
        try (Autograd.Scope ignored = Autograd.noGrad()) {
            imports(module, "", state, kiln, used, missing, tracked);
        }
        Set<String> unexpected = new TreeSet<>(state.keySet());
        unexpected.removeAll(used);
        if (!missing.isEmpty() || !unexpected.isEmpty()) {
            throw new IllegalArgumentException("PyTorch state dict does not match " + module.getClass().getSimpleName()
                    + ": missing " + missing + ", unexpected " + unexpected);
        }
        module.loadStateDict(kiln);
        tracked.forEach(BatchNorm2d::setNumBatchesTracked);
    }

    private static Map<String, Tensor> own(Module m) {
        Map<String, Tensor> direct = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> {
            if (!k.contains(".")) {
                direct.put(k, v);
            }
        });
        return direct;
    }

    private static Tensor host(Tensor t) {
        return t.to(Device.cpu());
    }

    private static void export(Module m, String prefix, Map<String, Tensor> out) {
        if (m instanceof LSTM lstm) {
            Map<String, Tensor> p = own(m);
            for (int l = 0; l < lstm.numLayers(); l++) {
                Tensor bias = host(p.get("bias" + l));
                out.put(prefix + "weight_ih_l" + l, host(p.get("w_ih" + l)).t());
                out.put(prefix + "weight_hh_l" + l, host(p.get("w_hh" + l)).t());
                out.put(prefix + "bias_ih_l" + l, bias.mul(1f));
                out.put(prefix + "bias_hh_l" + l, Tensor.zeros(bias.shape()));
            }
            return;
        }
        if (m instanceof MultiheadAttention) {
            Map<String, Module> c = m.namedChildren();
            List<Tensor> w = new ArrayList<>();
            List<Tensor> b = new ArrayList<>();
            for (String name : List.of("q", "k", "v")) {
                Map<String, Tensor> p = own(c.get(name));
                w.add(host(p.get("weight")));
                b.add(host(p.get("bias")));
            }
            out.put(prefix + "in_proj_weight", Tensor.cat(w, 0));
            out.put(prefix + "in_proj_bias", Tensor.cat(b, 0));
            own(c.get("out")).forEach((k, v) -> out.put(prefix + "out_proj." + k, host(v)));
            return;
        }
        own(m).forEach((k, v) -> out.put(prefix + k, host(v)));
        if (m instanceof BatchNorm2d bn) {
            out.put(prefix + "num_batches_tracked", Tensor.fromLongs(new long[] {bn.numBatchesTracked()}).reshape());
        }
        m.namedChildren().forEach((name, child) -> export(child, prefix + name + ".", out));
    }

    private static Tensor take(Map<String, Tensor> state, String key, Set<String> used, List<String> missing) {
        Tensor t = state.get(key);
        if (t == null) {
            missing.add(key);
            return null;
        }
        used.add(key);
        return host(t);
    }

    private static void imports(Module m, String prefix, Map<String, Tensor> state, Map<String, Tensor> kiln,
                                Set<String> used, List<String> missing, Map<BatchNorm2d, Long> tracked) {
        if (m instanceof LSTM lstm) {
            for (int l = 0; l < lstm.numLayers(); l++) {
                Tensor wih = take(state, prefix + "weight_ih_l" + l, used, missing);
                Tensor whh = take(state, prefix + "weight_hh_l" + l, used, missing);
                Tensor bih = take(state, prefix + "bias_ih_l" + l, used, missing);
                Tensor bhh = take(state, prefix + "bias_hh_l" + l, used, missing);
                if (wih != null) {
                    kiln.put(prefix + "w_ih" + l, rank(wih, 2, prefix + "weight_ih_l" + l).t());
                }
                if (whh != null) {
                    kiln.put(prefix + "w_hh" + l, rank(whh, 2, prefix + "weight_hh_l" + l).t());
                }
                if (bih != null && bhh != null) {
                    if (!java.util.Arrays.equals(bih.shape(), bhh.shape())) {
                        throw new IllegalArgumentException(prefix + "bias_ih_l" + l + " and bias_hh_l" + l + " differ in shape: "
                                + java.util.Arrays.toString(bih.shape()) + " and " + java.util.Arrays.toString(bhh.shape()));
                    }
                    kiln.put(prefix + "bias" + l, bih.add(bhh));
                }
            }
            return;
        }
        if (m instanceof MultiheadAttention) {
            Tensor w = take(state, prefix + "in_proj_weight", used, missing);
            Tensor b = take(state, prefix + "in_proj_bias", used, missing);
            String[] qkv = {"q", "k", "v"};
            if (w != null) {
                rank(w, 2, prefix + "in_proj_weight");
                int d = w.size(0) / 3;
                if (w.size(0) != 3 * d) {
                    throw new IllegalArgumentException(prefix + "in_proj_weight has " + w.size(0) + " rows, not 3·dim");
                }
                for (int i = 0; i < 3; i++) {
                    kiln.put(prefix + qkv[i] + ".weight", w.slice(0, i * d, (i + 1) * d));
                }
            }
            if (b != null) {
                int d = b.size(0) / 3;
                for (int i = 0; i < 3; i++) {
                    kiln.put(prefix + qkv[i] + ".bias", b.slice(0, i * d, (i + 1) * d));
                }
            }
            for (String k : own(m.namedChildren().get("out")).keySet()) {
                Tensor t = take(state, prefix + "out_proj." + k, used, missing);
                if (t != null) {
                    kiln.put(prefix + "out." + k, t);
                }
            }
            return;
        }
        for (String k : own(m).keySet()) {
            Tensor t = take(state, prefix + k, used, missing);
            if (t != null) {
                kiln.put(prefix + k, t);
            }
        }
        if (m instanceof BatchNorm2d bn) {
            Tensor n = state.get(prefix + "num_batches_tracked");
            if (n != null) {   // optional: PyTorch omits it with track_running_stats=False
                used.add(prefix + "num_batches_tracked");
                tracked.put(bn, n.toLongArray()[0]);
            }
        }
        m.namedChildren().forEach((name, child) -> imports(child, prefix + name + ".", state, kiln, used, missing, tracked));
    }

    private static Tensor rank(Tensor t, int rank, String name) {
        if (t.rank() != rank) {
            throw new IllegalArgumentException(name + " must have rank " + rank + ", got shape " + java.util.Arrays.toString(t.shape()));
        }
        return t;
    }
}
