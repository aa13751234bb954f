#!/usr/bin/env python3
"""Writes HandComputedCases.java: for every OpRegistry op, small literal inputs and the expected
output computed here from the op's textbook definition (NumPy, float64), independently of Kiln.

    python3 java-api/src/test/python/expected_values.py > java-api/src/test/java/dev/kiln/ops/HandComputedCases.java
"""
import math
import numpy as np

M32 = 0xFFFFFFFF


# ---- Philox4x32-10 and Kiln's documented mapping (dev.kiln.Generator) ---------------------------
def philox(c, k):
    c0, c1, c2, c3 = c
    k0, k1 = k
    for _ in range(10):
        p0 = 0xD2511F53 * c0
        p1 = 0xCD9E8D57 * c2
        c0, c1, c2, c3 = ((p1 >> 32) ^ c1 ^ k0) & M32, p1 & M32, ((p0 >> 32) ^ c3 ^ k1) & M32, p0 & M32
        k0 = (k0 + 0x9E3779B9) & M32
        k1 = (k1 + 0xBB67AE85) & M32
    return [c0, c1, c2, c3]


def block(seed, ctr):
    return philox((ctr & M32, (ctr >> 32) & M32, 0, 0), (seed & M32, (seed >> 32) & M32))


class Gen:
    def __init__(self, seed):
        self.seed, self.offset = seed, 0

    def advance(self, n):
        s = self.offset
        self.offset += (n + 3) & ~3
        return s

    def uniform(self, n):
        off = self.advance(n)
        return [np.float32((block(self.seed, (off + i) >> 2)[(off + i) & 3] >> 8) * 2.0 ** -24) for i in range(n)]

    def normal(self, n):
        off = self.advance(n)
        out = []
        for i in range(n):
            g = off + i
            w = block(self.seed, g >> 2)
            k = g & 3
            j = k >> 1
            u1 = np.float32(((w[2 * j] >> 8) + 1) * 2.0 ** -24)
            u2 = np.float32((w[2 * j + 1] >> 8) * 2.0 ** -24)
            r = math.sqrt(-2.0 * math.log(u1))
            th = float(np.float32(2 * math.pi) * u2)   # a float32 product, as in Kiln (and NumPy 2's promotion)
            out.append(r * math.cos(th) if k % 2 == 0 else r * math.sin(th))
        return out

    def next_int(self, bound):
        g = self.advance(2)
        w = block(self.seed, g >> 2)
        return ((w[0] << 32) | w[1]) % bound


# ---- references ---------------------------------------------------------------------------------
def gelu(x):
    """The exact GELU, x Phi(x) (torch's default)."""
    return 0.5 * x * (1 + np.vectorize(math.erf)(x / math.sqrt(2)))


def gelu_tanh(x):
    """The tanh approximation (torch's approximate='tanh'; Kiln's fused GEMM epilogue)."""
    return 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def conv2d(x, w, b, stride, pad, dil, groups, relu=False):
    n, c, h, wd = x.shape
    k, cg, r, s = w.shape
    p = (h + 2 * pad[0] - dil[0] * (r - 1) - 1) // stride[0] + 1
    q = (wd + 2 * pad[1] - dil[1] * (s - 1) - 1) // stride[1] + 1
    y = np.zeros((n, k, p, q))
    kg = k // groups
    for i in range(n):
        for o in range(k):
            gi = o // kg
            for a in range(p):
                for bb in range(q):
                    acc = 0.0 if b is None else b[o]
                    for ci in range(cg):
                        for u in range(r):
                            for v in range(s):
                                hh = a * stride[0] - pad[0] + u * dil[0]
                                ww = bb * stride[1] - pad[1] + v * dil[1]
                                if 0 <= hh < h and 0 <= ww < wd:
                                    acc += x[i, gi * cg + ci, hh, ww] * w[o, ci, u, v]
                    y[i, o, a, bb] = max(acc, 0.0) if relu else acc
    return y


def pool_size(size, k, s, p, d, ceil):
    """Output length; in ceil mode rounded up, but no window may start in the right padding (torch)."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (-(-span // s) if ceil else span // s) + 1
    if ceil and (out - 1) * s >= size + p:
        out -= 1
    return out


def pool(x, kern, stride, pad, dil, mode, include_pad=True, ceil=False):
    n, c, h, w = x.shape
    p = pool_size(h, kern[0], stride[0], pad[0], dil[0], ceil)
    q = pool_size(w, kern[1], stride[1], pad[1], dil[1], ceil)
    y = np.zeros((n, c, p, q))
    for i in range(n):
        for ch in range(c):
            for a in range(p):
                for b in range(q):
                    vals, inside = [], 0
                    for u in range(kern[0]):
                        for v in range(kern[1]):
                            hh = a * stride[0] - pad[0] + u * dil[0]
                            ww = b * stride[1] - pad[1] + v * dil[1]
                            if 0 <= hh < h and 0 <= ww < w:
                                vals.append(x[i, ch, hh, ww])
                    if mode == 'max':
                        y[i, ch, a, b] = max(vals)
                    else:
                        if include_pad:
                            # PyTorch: the window clipped to the padded input counts
                            h0 = a * stride[0] - pad[0]; w0 = b * stride[1] - pad[1]
                            h1 = min(h0 + kern[0], h + pad[0]); w1 = min(w0 + kern[1], w + pad[1])
                            div = (h1 - h0) * (w1 - w0)
                        else:
                            div = len(vals)
                        y[i, ch, a, b] = sum(vals) / div
    return y


def adaptive(x, oh, ow):
    n, c, h, w = x.shape
    y = np.zeros((n, c, oh, ow))
    for a in range(oh):
        h0, h1 = (a * h) // oh, -((-(a + 1) * h) // oh)
        for b in range(ow):
            w0, w1 = (b * w) // ow, -((-(b + 1) * w) // ow)
            y[:, :, a, b] = x[:, :, h0:h1, w0:w1].mean(axis=(2, 3))
    return y


def attention(q, k, v, causal=False, kvlen=None, mask=None, scale=None):
    B, H, Lq, D = q.shape
    Lk = k.shape[2]
    scale = 1 / math.sqrt(D) if scale is None else scale
    o = np.zeros((B, H, Lq, v.shape[3]))                    # values may be wider or narrower than keys
    for b in range(B):
        for h in range(H):
            for i in range(Lq):
                keep = [j for j in range(Lk)
                        if (not causal or j <= i) and (kvlen is None or j < kvlen[b])
                        and (mask is None or mask[min(b, mask.shape[0] - 1), min(h, mask.shape[1] - 1), min(i, mask.shape[2] - 1), j] != 0)]
                if not keep:
                    continue
                s = np.array([q[b, h, i] @ k[b, h, j] * scale for j in keep])
                p = np.exp(s - s.max()); p /= p.sum()
                o[b, h, i] = sum(p[t] * v[b, h, j] for t, j in enumerate(keep))
    return o


def lstm(x, h0, c0, w, u, bias, lengths):
    B, T, _ = x.shape
    H = u.shape[0]
    h = np.zeros((B, H)) if h0 is None else h0.copy()
    c = np.zeros((B, H)) if c0 is None else c0.copy()
    out = np.zeros((B, T, H))
    sig = lambda z: 1 / (1 + np.exp(-z))
    for t in range(T):
        z = x[:, t] @ w + h @ u + (0 if bias is None else bias)
        i, f, g, o = sig(z[:, :H]), sig(z[:, H:2 * H]), np.tanh(z[:, 2 * H:3 * H]), sig(z[:, 3 * H:])
        cn = f * c + i * g
        hn = o * np.tanh(cn)
        for b in range(B):
            if lengths is None or t < lengths[b]:
                c[b], h[b] = cn[b], hn[b]
        out[:, t] = h
    return np.concatenate([out.reshape(-1), h.reshape(-1), c.reshape(-1)])


def bn_train(x, g, b, eps=1e-5):
    m = x.mean(axis=(0, 2, 3), keepdims=True)
    var = x.var(axis=(0, 2, 3), keepdims=True)
    return (x - m) / np.sqrt(var + eps) * g.reshape(1, -1, 1, 1) + b.reshape(1, -1, 1, 1)


def ln(x, g, b, eps=1e-5):
    m = x.mean(axis=-1, keepdims=True)
    var = x.var(axis=-1, keepdims=True)
    y = (x - m) / np.sqrt(var + eps)
    return y if g is None else y * g + b


# ---- the cases ----------------------------------------------------------------------------------
cases = []


def a(vals, *shape):
    return np.array(vals, dtype=np.float64).reshape(shape)


def ar(shape, start=1.0, step=1.0):
    return (start + step * np.arange(int(np.prod(shape)))).reshape(shape)


def case(name, inputs, out, kind='f', note=None):
    cases.append((name, inputs, np.asarray(out), kind, note))


X = a([-2, -0.5, 0, 0.5, 1, 3], 2, 3)
P = a([0.25, 0.5, 1, 2, 4, 9], 2, 3)
sig = lambda z: 1 / (1 + np.exp(-z))
case("relu", [X], np.maximum(X, 0))
case("leakyRelu", [X], np.where(X > 0, X, 0.1 * X))
case("gelu", [X], gelu(X))
case("tanh", [X], np.tanh(X))
case("sigmoid", [X], sig(X))
case("exp", [X], np.exp(X))
case("log", [P], np.log(P))
case("neg", [X], -X)
case("sqrt", [P], np.sqrt(P))
case("square", [X], X * X)
case("abs", [X], np.abs(X))
case("softplus", [X], np.log1p(np.exp(X)))
case("pow", [P], P ** 1.7)
case("mulScalar", [X], X * -2.5)
case("addScalar", [X], X + 0.75)
A = ar((2, 1, 3)); B = a([10, 20], 2, 1)
case("add", [A, B], A + B)
A = ar((2, 2, 3)); B = a([1, -2, 0.5], 3)
case("sub", [A, B], A - B)
A = ar((2, 3)); B = a([2, -3], 2, 1)
case("mul", [A, B], A * B)
A = ar((2, 3)); B = a([2, 4, 0.5], 1, 3)
case("div", [A, B], A / B)
A = a([1, -2, 3, 0, 5, -6], 2, 3); B = a([0, -1, 4, 0, 2, -7], 2, 3)
case("maximum", [A, B], np.maximum(A, B))
B2 = a([0, 1, 4], 3)
case("minimum", [A, B2], np.minimum(A, B2))
case("lt", [A, B], (A < B).astype(float))
case("gt", [A, B2], (A > B2).astype(float))
A = a([0.5, 1.2, -0.7, 2.0, 0.4, -0.6, 1.0, 0.9], 2, 4); B = a([0.6, 1.4, -0.55, 1.1], 1, 4)
case("eq", [A, B], (np.trunc(A * 2) == np.trunc(B * 2)).astype(float))
A = a([0.3, -0.3, 1.26, -1.26, 2.0, 0.0], 2, 3)
case("toTypeInt64", [A], np.trunc(A * 4).astype(np.int64), kind='l')
A = ar((2, 3))
m = (np.array(Gen(11).uniform(6)) < np.float32(0.7)).reshape(2, 3)
case("dropout", [A], A * m / 0.7, note="kept where rand(Generator(11)) < 0.7, scaled by 1/0.7")
case("rand", [a([0], 1)], np.array(Gen(12).uniform(36)).reshape(4, 9))
case("randn", [a([0], 1)], np.array(Gen(13).normal(21)).reshape(3, 7))
case("full", [a([0], 1)], np.full((2, 3), -2.5))
A = ar((2, 3))
case("reshape", [A], A.reshape(3, 2))
A = ar((2, 3, 2))
case("permute", [A], A.transpose(2, 0, 1))
A = ar((2, 3))
case("transpose", [A], A.T)
A = a([1, 2, 3], 3, 1)
case("expand", [A], np.broadcast_to(A, (2, 3, 4)))
A = ar((2, 6))
case("slice", [A], A[:, 1:5])
A = ar((4, 2))
case("select", [A], A[2])
I = np.array([3, 0, 3, 1])
case("indexSelect", [A, ('i', I)], A[I])
A = ar((2, 2)); B = ar((2, 3), 10)
case("cat", [A, B], np.concatenate([A, B], 1))
A = ar((2, 3)); B = ar((2, 3), 10)
case("stack", [A, B], np.stack([A, B], 1))
A = a([1, 2, -1, 0, 3, 1], 2, 3); B = a([2, 0, 1, -1, 3, 2], 3, 2)
case("matmul", [A, B], A @ B)
A3 = ar((2, 2, 3)); 
case("matmulNd2d", [A3, B], A3 @ B)
B3 = a([1, 0, 0, 1, 2, -1, -1, 2, 0, 1, 1, 0], 2, 3, 2)
case("bmm", [A3, B3], A3 @ B3)
At = a([1, 2, 3, 4, 5, 6], 3, 2); Bt = a([1, -1, 2, 0, 0, 3], 3, 2)
case("mmTransA", [At, Bt], At.T @ Bt)
A = ar((2, 3)); Bm = a([1, 0, -1, 2, 1, 0], 2, 3)
case("mmTransB", [A, Bm], A @ Bm.T)
case("mmTransAB", [At, Bm], At.T @ Bm.T)
x = a([1, 2, 3, -1, 0, 2], 2, 3); w = a([1, 0, -1, 0.5, 0.5, 0.5], 2, 3); b = a([0.5, -4], 2)
case("linear", [x, w, b], x @ w.T + b)
case("linearRelu", [x, w, b], np.maximum(x @ w.T + b, 0))
x3 = x.reshape(2, 1, 3)
case("linearGelu3d", [x3, w, b], gelu_tanh(x3 @ w.T + b))
case("linearReluNoBias", [x, w], np.maximum(x @ w.T, 0))
A = a([1, 2, 3, 4, 5, 6.5], 2, 3)
case("sumAll", [A], np.array(A.sum()).reshape(()))
A = ar((2, 3, 2))
case("sumAxis", [A], A.sum(1))
A = a([1, 2, 6, -3, 0, 9], 2, 3)
case("meanAxis", [A], A.mean(-1, keepdims=True))
A = a([1, 7, 3, -3, -1, -2], 2, 3)
case("maxAxis", [A], A.max(1))
A = a([1, 7, 7, -3, -1, -2], 2, 3)
case("argmax", [A], A.argmax(1), kind='l')
A = a([1, 2, 3, -1, 0, 1.5], 2, 3)
case("softmax", [A], softmax(A, -1))
A = a([1, 2, 3, -1, 0, 1.5], 3, 2)
case("softmaxAxis0", [A], softmax(A, 0))
A = a([1, 2, 3, -1, 0, 1.5], 2, 3)
case("logSoftmax", [A], np.log(softmax(A, -1)))
T = np.array([2, 0])
case("crossEntropy", [A, ('i', T)], np.array(-np.mean(np.log(softmax(A, -1))[[0, 1], T])).reshape(()))
A = a([1, 2, 3, 4], 2, 2); B = a([1.5, 2, 1, 5], 2, 2)
case("mseLoss", [A, B], np.array(((A - B) ** 2).mean()).reshape(()))
A = a([-1, 0, 2, 0.5], 2, 2); B = a([0, 1, 1, 0.25], 2, 2)
case("bceWithLogits", [A, B], np.array((np.log1p(np.exp(A)) - A * B).mean()).reshape(()))
# sequence
W = a([1, 2, 3, 4, 5, 6, 7, 8], 4, 2); ids = np.array([[0, 3, 1], [3, 3, 2]])
case("embedding", [W, ('i', ids)], W[ids])
x = a([1, 2, 3, 5, -1, 0, 1, 4], 2, 4); g = a([1, 2, 0.5, -1], 4); bb = a([0, 1, -1, 0.5], 4)
case("layerNorm", [x, g, bb], ln(x, g, bb))
x = a([1, 2, 4, -2, 0, 2], 2, 1, 3)
case("layerNormNoAffine", [x], ln(x, None, None))
q = a([1, 0, 0, 1, 1, 1], 1, 1, 3, 2); k = a([1, 0, 0, 2, -1, 1], 1, 1, 3, 2); v = a([1, 2, 3, 4, 5, 6], 1, 1, 3, 2)
case("attention", [q, k, v], attention(q, k, v))
q = a([1, 0, 0, 1, 1, 1, -1, 2], 2, 1, 2, 2); k = a([1, 0, 0, 2, -1, 1, 2, 2, 0, 1, 1, 0], 2, 1, 3, 2); v = ar((2, 1, 3, 2))
case("attentionCausalPadded", [q, k, v, ('i', np.array([2, 0]))], attention(q, k, v, True, [2, 0]))
q1, k1, v1 = q[:1], k[:1], v[:1]
q1 = a([1, 0, 0.5, 1, 1, -1], 1, 1, 3, 2)
k1 = a([1, 0, 0, 2, -1, 1, 2, 2], 1, 1, 4, 2); v1 = ar((1, 1, 4, 2))
case("attentionD32Ragged", [q1, k1, v1, ('i', np.array([3]))], attention(q1, k1, v1, True, [3]))
case("attentionD20", [q1, k1, v1], attention(q1, k1, v1, scale=0.3))
mk = np.array([1, 0, 1, 0, 0, 0]).reshape(2, 1, 1, 3)
case("attentionKeyMask", [q, k, v, ('i', mk)], attention(q, k, v, True, mask=mk))
qh = a([1, 0, 0, 1, 1, 1, -1, 2], 1, 2, 2, 2); kh = a([1, 0, 0, 2, -1, 1, 2, 2, 0, 1, 1, 0], 1, 2, 3, 2); vh = ar((1, 2, 3, 2))
mh = np.array([1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0]).reshape(1, 2, 2, 3)
case("attentionHeadMask", [qh, kh, vh, ('i', mh)], attention(qh, kh, vh, False, mask=mh))
x = a([0.5, -1, 1, 2], 2, 2, 1); h0 = a([0.1, -0.2], 2, 1); c0 = a([0.3, 0.5], 2, 1)
w = a([0.5, -0.5, 1, 0.25], 1, 4); u = a([0.2, 0.1, -0.3, 0.4], 1, 4); bs = a([0.1, 0.2, 0, -0.1], 4)
case("lstm", [x, h0, c0, w, u, bs], lstm(x, h0, c0, w, u, bs, None))
x = a([0.5, -1, 1, 2, 1, 0, -0.5, 0.5, 1.5], 3, 3, 1)
case("lstmMasked", [x, w, u, ('i', np.array([2, 0, 3]))], lstm(x, None, None, w, u, None, [2, 0, 3]))
# vision
x = ar((1, 1, 3, 3)); w = a([0, 1, 0, 1, -4, 1, 0, 1, 0], 1, 1, 3, 3); b = a([0.5], 1)
case("conv2d", [x, w, b], conv2d(x, w, b, (1, 1), (1, 1), (1, 1), 1))
x = ar((1, 1, 5, 4)); w = a([1, 0, 0, 1, -1, 2], 1, 1, 3, 2)
case("conv2dStride2", [x, w], conv2d(x, w, None, (2, 2), (1, 0), (1, 1), 1))
x = ar((1, 1, 4, 5)); w = a([1, 0, 2, 0, 1, 0, -1, 0, 1], 1, 1, 3, 3); b = a([1], 1)
case("conv2dDilation", [x, w, b], conv2d(x, w, b, (1, 2), (2, 2), (2, 2), 1))
x = ar((1, 2, 4, 4)); w = a([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0], 2, 1, 3, 3); b = a([1, -1], 2)
case("conv2dGroups", [x, w, b], conv2d(x, w, b, (2, 2), (1, 1), (1, 1), 2))
x = ar((1, 3, 3, 3)); w = np.zeros((3, 1, 3, 3)); w[0, 0, 1, 1] = 1; w[1, 0, 0, 0] = 2; w[2, 0, 2, 1] = -1
case("conv2dDepthwise", [x, w], conv2d(x, w, None, (1, 1), (1, 1), (1, 1), 3))
x = ar((1, 2, 3, 3)); w = a([1, 0, 0, 1, 0, 1, 1, 0, -1, 0, 0, -1, 0, 0, 0, 0.5], 2, 2, 2, 2); b = a([-20, 30], 2)
case("conv2dBiasRelu", [x, w, b], conv2d(x, w, b, (1, 1), (0, 0), (1, 1), 1, relu=True))
x = ar((1, 2, 3, 3)); w = a([1, -1, 0.5, 2], 2, 2, 1, 1)
case("conv2d1x1", [x, w], conv2d(x, w, None, (2, 2), (0, 0), (1, 1), 1))
xn = ar((1, 3, 3, 2), -8); wn = np.zeros((2, 3, 3, 2)); wn[0, 1, 1, 0] = 1; wn[0, 0, 0, 1] = 1; wn[1, 2, 2, 1] = -1; wn[1, 1, 0, 0] = 0.5
bn = a([0.5, 2], 2)
case("conv2dNhwc", [xn, wn, bn],
     conv2d(xn.transpose(0, 3, 1, 2), wn.transpose(0, 3, 1, 2), bn, (2, 1), (1, 1), (1, 1), 1, relu=True).transpose(0, 2, 3, 1))
xn = ar((1, 5, 4, 4)); wn = np.zeros((2, 3, 2, 2)); wn[0, 0, 0, 0] = 1; wn[0, 1, 1, 1] = 1; wn[1, 2, 0, 0] = 1; wn[1, 0, 1, 1] = -1
case("conv2dNhwcGroups", [xn, wn],
     conv2d(xn.transpose(0, 3, 1, 2), wn.transpose(0, 3, 1, 2), None, (1, 2), (2, 0), (2, 1), 2).transpose(0, 2, 3, 1))
x = a([1, 5, 2, 0, -1, 3, 8, 4, 7, 2, -5, 6, 0, 9, 1, 3], 1, 1, 4, 4)
case("maxPool2d", [x], pool(x, (3, 3), (2, 2), (1, 1), (1, 1), 'max'))
x = a([-1, 5, 2, 0, -7, -1, 3, 8, 4, 6, 7, 2, -5, 6, 1, 0, 9, 1, 3, 2], 1, 1, 4, 5)
case("maxPool2d2x2", [x], pool(x, (2, 2), (2, 2), (0, 0), (1, 1), 'max'))
case("maxPool2dDilated", [-x], pool(-x, (2, 3), (1, 2), (1, 1), (2, 1), 'max'))
x = ar((1, 1, 4, 4))
case("avgPool2d", [x], pool(x, (3, 3), (2, 2), (1, 1), (1, 1), 'avg', True))
x = ar((1, 1, 3, 4))
case("avgPool2dExcludePad", [x], pool(x, (3, 2), (2, 1), (1, 1), (1, 1), 'avg', False))
x = ar((1, 1, 5, 3))
case("adaptiveAvgPool2d", [x], adaptive(x, 3, 2))
x = a([1, 2, 3, 4, -1, -2, 8, 0], 1, 2, 2, 2)
case("adaptiveAvgPool2dGlobal", [x], adaptive(x, 1, 1))
x = a([1, 3, -2, 2, 5, 7, 0, 4], 2, 2, 1, 2); g = a([1, 2], 2); bb = a([0, -1], 2)
case("batchNorm2d", [x, g, bb], bn_train(x, g, bb))
x = a([1, 2, 0, -1, 3, 5], 1, 3, 1, 2); g = a([1, 2, -1], 3); bb = a([0, 1, 0.5], 3)
rm = np.array([0.5, -0.25, 1]).reshape(1, 3, 1, 1); rv = np.array([0.8, 1.5, 2]).reshape(1, 3, 1, 1)
case("batchNorm2dEval", [x, g, bb], (x - rm) / np.sqrt(rv + 1e-5) * g.reshape(1, 3, 1, 1) + bb.reshape(1, 3, 1, 1))
x = ar((2, 2, 1, 2))
case("flatten", [x], x.reshape(2, 4))
x = ar((2, 1, 3, 3))
gen = Gen(11)
y = np.full(x.shape, -0.5)
for i in range(2):
    dy, dx, fl = gen.next_int(5), gen.next_int(5), gen.next_int(2)
    for r in range(3):
        for c in range(3):
            cc = 2 - c if fl else c
            hh, ww = r + dy - 2, cc + dx - 2
            if 0 <= hh < 3 and 0 <= ww < 3:
                y[i, 0, r, c] = x[i, 0, hh, ww]
case("randomCropFlip", [x], y, note="offsets and flips drawn from Generator(11) as documented in Vision.randomCropFlip")


# sparse family (dev.kiln.ops.SparseOps: the matrices are fixed inside the registry entries)
def coo_dense(rows, cols, r, c, v):
    d = np.zeros((rows, cols))
    for i, j, x in zip(r, c, v):
        d[i, j] += x                      # duplicates are summed
    return d


RAGGED = coo_dense(7, 9, [0, 0, 1, 3, 3, 3, 4, 6, 6, 1, 0], [1, 8, 4, 0, 2, 7, 5, 3, 8, 4, 3],
                   [0.5, -1.25, 2, 1, -0.75, 0.3, 1.5, -2, 0.25, 0.5, 1.1])


def skewed():
    g = Gen(77)
    r, c, v = [], [], []
    for j in range(90):
        r.append(3); c.append(j + 5); v.append((g.next_int(2000) - 1000) / 1000)
    for i in range(20):
        if i == 3:
            continue
        for _ in range(2):
            r.append(i); cc = g.next_int(100); c.append(cc); v.append((g.next_int(2000) - 1000) / 1000)
    return coo_dense(20, 100, r, c, v)


def wave(shape, mod=11, scale=0.25):
    """Small exact values with both signs: ((7k mod m) - m//2) * scale."""
    n = int(np.prod(shape))
    return (((7 * np.arange(n)) % mod - mod // 2) * scale).reshape(shape)


X = wave((9, 5))
case("sparseMm", [X], RAGGED @ X)
X = wave((9, 8), 13)
case("sparseMmWide4", [X], RAGGED @ X)
X = wave((9,), 7, 0.5)
case("sparseMmVector", [X], RAGGED @ X)
X = wave((100, 3), 17, 0.125)
case("sparseMmSkewed", [X], skewed() @ X, note="the 20 x 100 matrix of SparseOps.skewed(): row 3 holds 90 nonzeros")
X = wave((10, 3))
off = [0, 2, 2, 7, 10]
case("segmentSum", [X], np.stack([X[off[s]:off[s + 1]].sum(0) for s in range(4)]))
X = wave((8, 3), 9, 0.5)
idx = [4, 0, 4, 2, 5, 0, 4, 1]
sc = np.zeros((6, 3))
for i, j in enumerate(idx):
    sc[j] += X[i]
case("scatterSum", [X], sc)
case("scatterSumUnordered", [X], sc)


# noise scheduling (dev.kiln.ops.GenerativeOps); t = 0..T-1 are the papers' steps 1..T
def schedule(T, kind, b0=1e-4, b1=0.02, s=0.008, max_beta=0.999):
    f = lambda t: math.cos((t / T + s) / (1 + s) * math.pi / 2)
    tab = np.zeros((10, T))
    prev = 1.0
    for t in range(T):
        if kind == 'linear':
            beta = b0 + (b1 - b0) * t / (T - 1) if T > 1 else b0
        else:
            beta = min(1 - f(t + 1) ** 2 / f(t) ** 2, max_beta)
        ab = prev * (1 - beta)
        pv = beta * (1 - prev) / (1 - ab)
        tab[:, t] = [beta, ab, math.sqrt(ab), math.sqrt(1 - ab), pv, math.sqrt(pv), beta * math.sqrt(prev) / (1 - ab),
                     (1 - prev) * math.sqrt(1 - beta) / (1 - ab), math.sqrt(1 / ab), math.sqrt(1 / ab - 1)]
        prev = ab
    return tab


one = a([0.5], 1)
# b0, b1 are the float32 values the registry passes
case("noiseScheduleLinear", [one], schedule(37, 'linear', float(np.float32(1e-3)), float(np.float32(0.05))))
case("noiseScheduleCosine", [one], schedule(301, 'cosine', s=float(np.float32(0.008)), max_beta=float(np.float32(0.999))))
S = schedule(20, 'cosine', s=float(np.float32(0.008)), max_beta=float(np.float32(0.999)))
x0 = wave((5, 3)); ts = np.array([0, 19, 7, 3, 12])
eps = np.array(Gen(21).normal(15)).reshape(5, 3)
case("qSample", [x0, ('i', ts)], S[2, ts][:, None] * x0 + S[3, ts][:, None] * eps,
     note="eps = the first 15 normals of Generator(21)")
x0 = wave((3, 2, 3, 3)); ts = np.array([4, 49, 0])
g = Gen(22); g.offset = 6
case("qSampleNoise", [x0, ('i', ts)], np.array(g.normal(54)).reshape(3, 2, 3, 3), note="normals 6..59 of Generator(22)")


def x0_hat(S, t, xt, e, clip):
    v = S[8, t] * xt - S[9, t] * e
    return np.clip(v, -clip, clip) if clip > 0 else v


S = schedule(30, 'linear')
xt = wave((4, 7)); e = wave((4, 7), 5, 0.5)[::-1].copy()
z = np.array(Gen(23).normal(28)).reshape(4, 7)
case("ddpmStep", [xt, e], S[6, 17] * x0_hat(S, 17, xt, e, 0) + S[7, 17] * xt + S[5, 17] * z,
     note="posterior mean + posterior std * the first 28 normals of Generator(23)")
S = schedule(30, 'cosine', s=float(np.float32(0.008)), max_beta=float(np.float32(0.999)))
xt = wave((3, 5), 13, 0.5); e = wave((3, 5), 7, 0.25)
case("ddpmStepLastClipped", [xt, e], S[6, 0] * x0_hat(S, 0, xt, e, 1) + S[7, 0] * xt)
xt = wave((6, 5)); e = wave((6, 5), 9, 0.5)
S = schedule(40, 'cosine', s=float(np.float32(0.008)), max_beta=float(np.float32(0.999)))
x0 = x0_hat(S, 25, xt, e, 0)
case("ddimStep", [xt, e], S[2, 9] * x0 + S[3, 9] * e)
S = schedule(40, 'linear')
xt = wave((2, 9), 13, 0.5); e = wave((2, 9), 11, 0.5)
case("ddimStepToX0Clipped", [xt, e], x0_hat(S, 5, xt, e, 1))


# generative layers
def conv_transpose(x, w, b, stride, pad, opad, dil, groups):
    """Scatter form: each input pixel adds w * x into the output window (PyTorch's definition)."""
    n, cin, h, wd = x.shape
    _, cog, r, s = w.shape
    ho = (h - 1) * stride[0] - 2 * pad[0] + dil[0] * (r - 1) + opad[0] + 1
    wo = (wd - 1) * stride[1] - 2 * pad[1] + dil[1] * (s - 1) + opad[1] + 1
    y = np.zeros((n, cog * groups, ho, wo))
    cig = cin // groups
    for i in range(n):
        for ci in range(cin):
            gi = ci // cig
            for a_ in range(h):
                for b_ in range(wd):
                    for co in range(cog):
                        for u in range(r):
                            for v in range(s):
                                oh = a_ * stride[0] - pad[0] + u * dil[0]
                                ow = b_ * stride[1] - pad[1] + v * dil[1]
                                if 0 <= oh < ho and 0 <= ow < wo:
                                    y[i, gi * cog + co, oh, ow] += x[i, ci, a_, b_] * w[ci, co, u, v]
    if b is not None:
        y += b.reshape(1, -1, 1, 1)
    return y


x = wave((2, 3, 5, 4)); w = wave((3, 2, 3, 3), 7, 0.5); b = a([0.25, -1], 2)
case("convTranspose2d", [x, w, b], conv_transpose(x, w, b, (2, 2), (1, 1), (1, 1), (1, 1), 1))
x = wave((1, 4, 3, 5), 13); w = wave((4, 3, 2, 3), 5, 0.5)
case("convTranspose2dGroups", [x, w], conv_transpose(x, w, None, (1, 2), (0, 1), (0, 1), (2, 1), 2))
x = ar((2, 3, 3, 4))
case("upsampleNearest", [x], x.repeat(2, axis=2).repeat(2, axis=3))
x = ar((1, 2, 2, 3))
case("upsampleNearest3x1", [x], x.repeat(3, axis=2))
x = wave((2, 6, 3, 4), 13, 0.5); g = a([1, 2, 0.5, -1, 0.25, 3], 6); bb = a([0, 1, -1, 0.5, 2, -0.25], 6)
xg = x.reshape(2, 3, -1)
yg = ((xg - xg.mean(-1, keepdims=True)) / np.sqrt(xg.var(-1, keepdims=True) + 1e-5)).reshape(x.shape)
case("groupNorm", [x, g, bb], yg * g.reshape(1, 6, 1, 1) + bb.reshape(1, 6, 1, 1))
x = a([1, 3, -2, 0.5, 4, 4, 1, -1, 0, 2, 7, -3], 3, 4)
xg = x.reshape(3, 2, 2)
case("groupNormNoAffine", [x], ((xg - xg.mean(-1, keepdims=True)) / np.sqrt(xg.var(-1, keepdims=True) + 1e-5)).reshape(3, 4))
x = wave((4, 5), 11, 0.5)
case("silu", [x], x * sig(x))
tab = np.zeros((50, 7))
for t in range(50):
    for k in range(3):
        tab[t, k] = math.sin(t * 10000.0 ** (-k / 3)); tab[t, 3 + k] = math.cos(t * 10000.0 ** (-k / 3))
ts = np.array([0, 1, 49, 7, 7, 23])
case("timestepEmbedding", [('i', ts)], tab[ts], note="sin/cos of t * 10000^(-k/3), k < 3, then a zero column (odd width)")



# PyTorch semantics: exact GELU (above), broadcast matmul, cross-entropy forms, attention with
# another value width, pooling ceil mode
X = a([-2, -0.5, 0, 0.5, 1, 3], 2, 3)
case("geluTanh", [X], gelu_tanh(X), note="tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))")
A = a([1, 2, 3, -1], 2, 1, 1, 2); B = a([1, 0, 2, 1], 2, 2, 1)
case("matmulBatchBroadcast", [A, B], np.matmul(A, B), note="[2,1,1,2] x [2,2,1]: every left row times every right matrix")
A = a([1, 2, 3, 4], 2, 2); B = a([1, 1, 2, -1], 2, 2, 1)
case("matmul2dBatch", [A, B], np.stack([A @ B[i] for i in range(2)]))
A = a([1, -1], 2); B = a([1, 2, 3, 4, 5, 6, 0, 1, 0, 2, 0, 1], 2, 1, 2, 3)
case("matmulVecBatch", [A, B], np.stack([[A @ B[i, 0]] for i in range(2)]))


def cross_entropy(logits, targets, ignore=None):
    """Mean over the counted targets of -log softmax(logits)[target]; classes on axis 1."""
    z = np.moveaxis(logits, 1, -1).reshape(-1, logits.shape[1])
    t = np.asarray(targets).reshape(-1)
    terms = [-np.log(softmax(z[i], -1)[t[i]]) for i in range(len(t)) if t[i] != ignore]
    return np.array(sum(terms) / len(terms)).reshape(())


A = a([1, 2, 3, -1, 0, 1.5, 0, 0, 0], 3, 3); T = np.array([2, -100, 0])
case("crossEntropyIgnoreIndex", [A, ('i', T)], cross_entropy(A, T, -100),
     note="rows 0 and 2 counted: (log(e+e^2+e^3) - 3 + log 3) / 2; the -100 row is ignored")
A = a([1, -1, 2, 0, 3, 1.5], 1, 3, 2); T = np.array([[2, 0]])
case("crossEntropyNd", [A, ('i', T)], cross_entropy(A, T),
     note="[1, 3, 2] logits: the crossEntropy case with classes along axis 1, so the same loss")
q = a([1, 1], 1, 1, 2, 1); k = a([0, 1], 1, 1, 2, 1); v = a([1, 2, 3, 3, 2, -1], 1, 1, 2, 3)
case("attentionDvWide", [q, k, v, ('i', np.array([2]))], attention(q, k, v, True, [2]),
     note="Dv = 3 > D = 1, causal: row 0 sees key 0 (v0); row 1 softmax(0, 1) = (1/(1+e), e/(1+e))")
q = a([1, 0, 1, 2], 1, 1, 2, 2); k = a([1, 1, 0, 1, -1, 2], 1, 1, 3, 2); v = a([1, 2, 4], 1, 1, 3, 1)
case("attentionDvNarrow", [q, k, v], attention(q, k, v), note="Dv = 1 < D = 2, scale 1/sqrt 2")
q = a([1, 0, 0, 1], 1, 1, 2, 2); k = a([1, 0, 0, 2, -1, 1], 1, 1, 3, 2); v = a([1, 2, 3, 4, 5, 6, 0, -1, 2], 1, 1, 3, 3)
mk = np.array([0, 1, 1, 1, 0, 1]).reshape(1, 1, 2, 3)
case("attentionDvMasked", [q, k, v, ('i', mk)], attention(q, k, v, False, mask=mk),
     note="Dv = 3, D = 2, a mask that is no key-padding prefix (row 0 skips key 0): the composed path")
x = a([1, 5, 2, 0, -1, 3, 8, 4, -7], 1, 1, 3, 3)
case("maxPool2dCeil", [x], pool(x, (3, 2), (2, 2), (1, 0), (1, 1), 'max', ceil=True),
     note="ceil mode: 3x3 input, kernel 3x2, stride 2, padding 1x0 -> 2x2 (floor: 2x1); the last\n"
          "column of windows hangs over the right border and takes the max of the taps inside")
x = ar((1, 1, 4, 4))
case("avgPool2dCeil", [x], pool(x, (3, 3), (2, 2), (1, 1), (1, 1), 'avg', True, ceil=True),
     note="ceil mode, 4x4 input, kernel 3, stride 2, padding 1 -> 3x3 (floor: 2x2); count_include_pad:\n"
          "the last windows count the one padded row/column they cover (divisor 6 or 4), not beyond it")
x = ar((1, 1, 3, 4))
case("avgPool2dCeilExcludePad", [x], pool(x, (2, 3), (2, 2), (0, 1), (1, 1), 'avg', False, ceil=True),
     note="ceil mode, 3x4 input, kernel 2x3, stride 2, padding 0x1, padding not counted -> 2x3 (floor: 1x2)")


# row-sparse gradients (dev.kiln.ops.SparseOps: lookups of rows LOOKUPS of a 7-row parameter)
LOOKUPS = [4, 0, 4, 2, 0, 4]


def coalesce(ids, g):
    """The touched rows, ascending, each with the sum of its lookups' gradient rows."""
    rows = sorted(set(ids))
    return rows, np.stack([sum(g[i] for i, r in enumerate(ids) if r == row) for row in rows])


def sparse_adam(w, steps, lr, b1=0.9, b2=0.999, eps=1e-8):
    """torch.optim.SparseAdam: lazy moments (touched rows only), bias correction by the step count."""
    p, m, v = w.copy(), np.zeros_like(w), np.zeros_like(w)
    for t, (ids, g) in enumerate(steps, 1):
        rows, vals = coalesce(ids, g)
        for r, gr in zip(rows, vals):
            m[r] += (1 - b1) * (gr - m[r])
            v[r] += (1 - b2) * (gr * gr - v[r])
            p[r] -= lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t) * m[r] / (np.sqrt(v[r]) + eps)
    return p


G = ar((6, 3), 0.25, 0.25)
case("rowSparseGrad", [G], coalesce(LOOKUPS, G)[1],
     note="Row-sparse gradients of lookups of rows [4, 0, 4, 2, 0, 4]: rows 0, 2, 4 with their summed gradient rows\n"
          "(row 0: g1 + g4, row 2: g3, row 4: g0 + g2 + g5); SGD moves only those rows by -0.5 g; SparseAdam\n"
          "(lr 0.1) moves them by about -lr sign(g) in step 1, then rows 1 and 4 in step 2 with lazy moments:\n"
          "row 1's first moment is 0.1 g, its step lr sqrt(1 - 0.999^2) / (1 - 0.9^2) 0.1 g / sqrt(0.001 g^2).")
W = wave((7, 3))
sgd = W.copy()
for r, gr in zip(*coalesce(LOOKUPS, G)):
    sgd[r] -= 0.5 * gr
case("sparseSgdStep", [W, G], sgd)
case("sparseAdamSteps", [W, G], sparse_adam(W, [(LOOKUPS, G), ([1, 4, 4], G[:3])], float(np.float32(0.1))))

# ---- Java ---------------------------------------------------------------------------------------
def fl(v):
    v = float(v)
    if v == int(v) and abs(v) < 1e7:
        return "%df" % int(v)
    return ("%.9g" % v) + "f"


def arr(vals, kind):
    if kind == 'l':
        return "new long[] {" + ", ".join("%dL" % int(v) for v in vals) + "}"
    if kind == 'i':
        return "new int[] {" + ", ".join("%d" % int(v) for v in vals) + "}"
    return "new float[] {" + ", ".join(fl(v) for v in vals) + "}"


def shp(s):
    return ", ".join(str(d) for d in s)


print("""package dev.kiln.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-computed expected outputs for every op in {@link OpRegistry}: small literal inputs and the
 * values the op's textbook definition gives for them, computed in float64 outside Kiln (generated
 * by {@code src/test/python/expected_values.py}; edit that script, not this file). One method per
 * case keeps every method under the class-file size limit.
 */
final class HandComputedCases {

    private HandComputedCases() {
    }

    static Map<String, HandCase> all() {
        Map<String, HandCase> m = new LinkedHashMap<>();""")
for k in range(len(cases)):
    print("        c%d(m);" % k)
print("""        return m;
    }""")
for k, (name, inputs, out, kind, note) in enumerate(cases):
    ins = []
    for t in inputs:
        if isinstance(t, tuple):
            vals = np.asarray(t[1])
            ins.append("HandCase.ints(%s%s)" % (arr(vals.reshape(-1), 'i'), (", " + shp(vals.shape)) if vals.ndim else ""))
        else:
            ins.append("HandCase.floats(%s, %s)" % (arr(t.reshape(-1), 'f'), shp(t.shape)))
    o = np.asarray(out)
    exp = "HandCase.%s(%s%s)" % ("expectLongs" if kind == 'l' else "expectFloats", arr(o.reshape(-1), kind), (", " + shp(o.shape)) if o.ndim else "")
    print()
    if note:
        for line in note.split("\n"):
            print("    // %s" % line)
    print("    private static void c%d(Map<String, HandCase> m) {" % k)
    print("        m.put(\"%s\", new HandCase(%s,\n                %s));" % (name, exp, ",\n                ".join(ins)))
    print("    }")
print("}")
