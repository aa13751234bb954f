package dev.kiln.ops;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Hand-computed expected outputs for every op in {@link OpRegistry}: small literal inputs and the
 * values the op's textbook definition gives for them, computed in float64 outside Kiln (generated
 * by {@code src/test/python/expected_values.py}; edit that script, not this file).
 */
final class HandComputedCases {

    private HandComputedCases() {
    }

    static Map<String, HandCase> all() {
        Map<String, HandCase> m = new LinkedHashMap<>();
        m.put("relu", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("leakyRelu", new HandCase(HandCase.expectFloats(new float[] {-0.2f, -0.05f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("gelu", new HandCase(HandCase.expectFloats(new float[] {-0.0454023059f, -0.15428599f, 0f, 0.34571401f, 0.841191991f, 2.99636261f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("tanh", new HandCase(HandCase.expectFloats(new float[] {-0.96402758f, -0.462117157f, 0f, 0.462117157f, 0.761594156f, 0.995054754f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("sigmoid", new HandCase(HandCase.expectFloats(new float[] {0.119202922f, 0.377540669f, 0.5f, 0.622459331f, 0.731058579f, 0.952574127f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("exp", new HandCase(HandCase.expectFloats(new float[] {0.135335283f, 0.60653066f, 1f, 1.64872127f, 2.71828183f, 20.0855369f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("log", new HandCase(HandCase.expectFloats(new float[] {-1.38629436f, -0.693147181f, 0f, 0.693147181f, 1.38629436f, 2.19722458f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
        m.put("neg", new HandCase(HandCase.expectFloats(new float[] {2f, 0.5f, 0f, -0.5f, -1f, -3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("sqrt", new HandCase(HandCase.expectFloats(new float[] {0.5f, 0.707106781f, 1f, 1.41421356f, 2f, 3f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
        m.put("square", new HandCase(HandCase.expectFloats(new float[] {4f, 0.25f, 0f, 0.25f, 1f, 9f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("abs", new HandCase(HandCase.expectFloats(new float[] {2f, 0.5f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("softplus", new HandCase(HandCase.expectFloats(new float[] {0.126928011f, 0.474076984f, 0.693147181f, 0.974076984f, 1.31326169f, 3.04858735f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("pow", new HandCase(HandCase.expectFloats(new float[] {0.0947322854f, 0.307786103f, 1f, 3.24900959f, 10.5560633f, 41.8998305f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
        m.put("mulScalar", new HandCase(HandCase.expectFloats(new float[] {5f, 1.25f, 0f, -1.25f, -2.5f, -7.5f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("addScalar", new HandCase(HandCase.expectFloats(new float[] {-1.25f, 0.25f, 0.75f, 1.25f, 1.75f, 3.75f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
        m.put("add", new HandCase(HandCase.expectFloats(new float[] {11f, 12f, 13f, 21f, 22f, 23f, 14f, 15f, 16f, 24f, 25f, 26f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 1, 3),
                HandCase.floats(new float[] {10f, 20f}, 2, 1)));
        m.put("sub", new HandCase(HandCase.expectFloats(new float[] {0f, 4f, 2.5f, 3f, 7f, 5.5f, 6f, 10f, 8.5f, 9f, 13f, 11.5f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 0.5f}, 3)));
        m.put("mul", new HandCase(HandCase.expectFloats(new float[] {2f, 4f, 6f, -12f, -15f, -18f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {2f, -3f}, 2, 1)));
        m.put("div", new HandCase(HandCase.expectFloats(new float[] {0.5f, 0.5f, 6f, 2f, 1.25f, 12f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {2f, 4f, 0.5f}, 1, 3)));
        m.put("maximum", new HandCase(HandCase.expectFloats(new float[] {1f, -1f, 4f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, -1f, 4f, 0f, 2f, -7f}, 2, 3)));
        m.put("minimum", new HandCase(HandCase.expectFloats(new float[] {0f, -2f, 3f, 0f, 1f, -6f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, 1f, 4f}, 3)));
        m.put("lt", new HandCase(HandCase.expectFloats(new float[] {0f, 1f, 1f, 0f, 0f, 0f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, -1f, 4f, 0f, 2f, -7f}, 2, 3)));
        m.put("gt", new HandCase(HandCase.expectFloats(new float[] {1f, 0f, 0f, 0f, 1f, 0f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, 1f, 4f}, 3)));
        m.put("eq", new HandCase(HandCase.expectFloats(new float[] {1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f}, 2, 4),
                HandCase.floats(new float[] {0.5f, 1.2f, -0.7f, 2f, 0.4f, -0.6f, 1f, 0.9f}, 2, 4),
                HandCase.floats(new float[] {0.6f, 1.4f, -0.55f, 1.1f}, 1, 4)));
        m.put("toTypeInt64", new HandCase(HandCase.expectLongs(new long[] {1L, -1L, 5L, -5L, 8L, 0L}, 2, 3),
                HandCase.floats(new float[] {0.3f, -0.3f, 1.26f, -1.26f, 2f, 0f}, 2, 3)));
        // kept where rand(Generator(11)) < 0.7, scaled by 1/0.7
        m.put("dropout", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 4.28571429f, 5.71428571f, 7.14285714f, 8.57142857f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
        m.put("rand", new HandCase(HandCase.expectFloats(new float[] {0.00163543224f, 0.525120139f, 0.844416559f, 0.107581556f, 0.818335891f, 0.680480838f, 0.86944741f, 0.717245698f, 0.685145676f, 0.580875218f, 0.54643172f, 0.608841836f, 0.832907796f, 0.517302871f, 0.770160258f, 0.907160878f, 0.211087525f, 0.0347751379f, 0.829105556f, 0.116513133f, 0.726224422f, 0.571460903f, 0.305978954f, 0.238287807f, 0.905273378f, 0.393616199f, 0.98260355f, 0.607286036f, 0.0731633306f, 0.0639675856f, 0.0145714283f, 0.92994076f, 0.67567718f, 0.542934f, 0.847651362f, 0.00542128086f}, 4, 9),
                HandCase.floats(new float[] {0f}, 1)));
        m.put("randn", new HandCase(HandCase.expectFloats(new float[] {-0.67906744f, 1.06070915f, 0.537809267f, -0.222817458f, 0.572534024f, 0.7034017f, 0.0203719498f, 1.00462275f, -1.86548435f, -0.0970702196f, 0.293532724f, 1.92956014f, 0.715328984f, -1.81842796f, 0.828847348f, -0.955908847f, 0.406364345f, 0.166190466f, -0.465570654f, 0.135261876f, 0.946264869f}, 3, 7),
                HandCase.floats(new float[] {0f}, 1)));
        m.put("full", new HandCase(HandCase.expectFloats(new float[] {-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f}, 2, 3),
                HandCase.floats(new float[] {0f}, 1)));
        m.put("reshape", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
        m.put("permute", new HandCase(HandCase.expectFloats(new float[] {1f, 3f, 5f, 7f, 9f, 11f, 2f, 4f, 6f, 8f, 10f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 3, 2)));
        m.put("transpose", new HandCase(HandCase.expectFloats(new float[] {1f, 4f, 2f, 5f, 3f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
        m.put("expand", new HandCase(HandCase.expectFloats(new float[] {1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f, 1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f}, 2, 3, 4),
                HandCase.floats(new float[] {1f, 2f, 3f}, 3, 1)));
        m.put("slice", new HandCase(HandCase.expectFloats(new float[] {2f, 3f, 4f, 5f, 8f, 9f, 10f, 11f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 6)));
        m.put("select", new HandCase(HandCase.expectFloats(new float[] {5f, 6f}, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2)));
        m.put("indexSelect", new HandCase(HandCase.expectFloats(new float[] {7f, 8f, 1f, 2f, 7f, 8f, 3f, 4f}, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2),
                HandCase.ints(new int[] {3, 0, 3, 1}, 4)));
        m.put("cat", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 10f, 11f, 12f, 3f, 4f, 13f, 14f, 15f}, 2, 5),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                HandCase.floats(new float[] {10f, 11f, 12f, 13f, 14f, 15f}, 2, 3)));
        m.put("stack", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 10f, 11f, 12f, 4f, 5f, 6f, 13f, 14f, 15f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {10f, 11f, 12f, 13f, 14f, 15f}, 2, 3)));
        m.put("matmul", new HandCase(HandCase.expectFloats(new float[] {1f, -4f, 6f, -1f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, -1f, 0f, 3f, 1f}, 2, 3),
                HandCase.floats(new float[] {2f, 0f, 1f, -1f, 3f, 2f}, 3, 2)));
        m.put("matmulNd2d", new HandCase(HandCase.expectFloats(new float[] {13f, 4f, 31f, 7f, 49f, 10f, 67f, 13f}, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {2f, 0f, 1f, -1f, 3f, 2f}, 3, 2)));
        m.put("bmm", new HandCase(HandCase.expectFloats(new float[] {7f, -1f, 16f, -1f, 2f, 22f, 2f, 31f}, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 2f, -1f, -1f, 2f, 0f, 1f, 1f, 0f}, 2, 3, 2)));
        m.put("mmTransA", new HandCase(HandCase.expectFloats(new float[] {7f, 14f, 10f, 16f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, -1f, 2f, 0f, 0f, 3f}, 3, 2)));
        m.put("mmTransB", new HandCase(HandCase.expectFloats(new float[] {-2f, 4f, -2f, 13f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 2f, 1f, 0f}, 2, 3)));
        m.put("mmTransAB", new HandCase(HandCase.expectFloats(new float[] {-4f, 5f, -4f, 8f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 0f, -1f, 2f, 1f, 0f}, 2, 3)));
        m.put("linear", new HandCase(HandCase.expectFloats(new float[] {-1.5f, -1f, -2.5f, -3.5f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
        m.put("linearRelu", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 0f, 0f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
        m.put("linearGelu3d", new HandCase(HandCase.expectFloats(new float[] {-0.100428423f, -0.158808009f, -0.0150842661f, -0.000616197655f}, 2, 1, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 1, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
        m.put("linearReluNoBias", new HandCase(HandCase.expectFloats(new float[] {0f, 3f, 0f, 0.5f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3)));
        m.put("sumAll", new HandCase(HandCase.expectFloats(new float[] {21.5f}),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6.5f}, 2, 3)));
        m.put("sumAxis", new HandCase(HandCase.expectFloats(new float[] {9f, 12f, 27f, 30f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 3, 2)));
        m.put("meanAxis", new HandCase(HandCase.expectFloats(new float[] {3f, 2f}, 2, 1),
                HandCase.floats(new float[] {1f, 2f, 6f, -3f, 0f, 9f}, 2, 3)));
        m.put("maxAxis", new HandCase(HandCase.expectFloats(new float[] {7f, -1f}, 2),
                HandCase.floats(new float[] {1f, 7f, 3f, -3f, -1f, -2f}, 2, 3)));
        m.put("argmax", new HandCase(HandCase.expectLongs(new long[] {1L, 1L}, 2),
                HandCase.floats(new float[] {1f, 7f, 7f, -3f, -1f, -2f}, 2, 3)));
        m.put("softmax", new HandCase(HandCase.expectFloats(new float[] {0.0900305732f, 0.244728471f, 0.665240956f, 0.0628900132f, 0.17095278f, 0.766157207f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3)));
        m.put("softmaxAxis0", new HandCase(HandCase.expectFloats(new float[] {0.114195199f, 0.603748896f, 0.843794734f, 0.0300588876f, 0.0420100661f, 0.366192216f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 3, 2)));
        m.put("logSoftmax", new HandCase(HandCase.expectFloats(new float[] {-2.40760596f, -1.40760596f, -0.407605964f, -2.7663679f, -1.7663679f, -0.2663679f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3)));
        m.put("crossEntropy", new HandCase(HandCase.expectFloats(new float[] {1.58698693f}),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3),
                HandCase.ints(new int[] {2, 0}, 2)));
        m.put("mseLoss", new HandCase(HandCase.expectFloats(new float[] {1.3125f}),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                HandCase.floats(new float[] {1.5f, 2f, 1f, 5f}, 2, 2)));
        m.put("bceWithLogits", new HandCase(HandCase.expectFloats(new float[] {0.495603466f}),
                HandCase.floats(new float[] {-1f, 0f, 2f, 0.5f}, 2, 2),
                HandCase.floats(new float[] {0f, 1f, 1f, 0.25f}, 2, 2)));
        // Row-sparse gradients of lookups of rows [4, 0, 4, 2, 0, 4]: rows 0, 2, 4 with their summed gradient rows
        // (row 0: g1 + g4, row 2: g3, row 4: g0 + g2 + g5); SGD moves only those rows by -0.5 g; SparseAdam
        // (lr 0.1) moves them by about -lr sign(g) in step 1, then rows 1 and 4 in step 2 with lazy moments:
        // row 1's first moment is 0.1 g, its step lr sqrt(1 - 0.999^2) / (1 - 0.9^2) 0.1 g / sqrt(0.001 g^2).
        m.put("rowSparseGrad", new HandCase(HandCase.expectFloats(new float[] {4.25f, 4.75f, 5.25f, 2.5f, 2.75f, 3f, 6f, 6.75f, 7.5f}, 3, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
        m.put("sparseSgdStep", new HandCase(HandCase.expectFloats(new float[] {-3.375f, -1.875f, -3.125f, 1.25f, 0.25f, -0.75f, -0.25f,
                -1.375f, -2.5f, 0.75f, -0.25f, -1.25f, -2.5f, -3.875f, -2.5f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3), HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
        m.put("sparseAdamSteps", new HandCase(HandCase.expectFloats(new float[] {-1.35f, 0.4f, -0.6f, 1.17558641f, 0.175586365f, -0.824413651f,
                0.9f, -0.1f, -1.1f, 0.75f, -0.25f, -1.25f, 0.308075032f, -0.692661595f, 1.05678204f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3), HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
        m.put("embedding", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 7f, 8f, 3f, 4f, 7f, 8f, 7f, 8f, 5f, 6f}, 2, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2),
                HandCase.ints(new int[] {0, 3, 1, 3, 3, 2}, 2, 3)));
        m.put("layerNorm", new HandCase(HandCase.expectFloats(new float[] {-1.18321325f, -0.0141827875f, -0.915484768f, -1.02127418f, -1.06904344f, -0.0690434404f, -1f, -1.10356516f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 5f, -1f, 0f, 1f, 4f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 0.5f, -1f}, 4),
                HandCase.floats(new float[] {0f, 1f, -1f, 0.5f}, 4)));
        m.put("layerNormNoAffine", new HandCase(HandCase.expectFloats(new float[] {-1.06904153f, -0.267260383f, 1.33630191f, -1.22474258f, 0f, 1.22474258f}, 2, 1, 3),
                HandCase.floats(new float[] {1f, 2f, 4f, -2f, 0f, 2f}, 2, 1, 3)));
        m.put("attention", new HandCase(HandCase.expectFloats(new float[] {2.1281078f, 3.1281078f, 3.28793233f, 4.28793233f, 2.71206767f, 3.71206767f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 1, 1, 3, 2)));
        m.put("attentionCausalPadded", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 2.60885937f, 3.60885937f, 0f, 0f, 0f, 0f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 2, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 1, 3, 2),
                HandCase.ints(new int[] {2, 0}, 2)));
        m.put("attentionD32Ragged", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 2.48563337f, 3.48563337f, 1.58015046f, 2.58015046f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0.5f, 1f, 1f, -1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f}, 1, 1, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 1, 1, 4, 2),
                HandCase.ints(new int[] {3}, 1)));
        m.put("attentionD20", new HandCase(HandCase.expectFloats(new float[] {4.23562921f, 5.23562921f, 4.48945208f, 5.48945208f, 3.69555275f, 4.69555275f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0.5f, 1f, 1f, -1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f}, 1, 1, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 1, 1, 4, 2)));
        m.put("attentionKeyMask", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 1f, 2f, 0f, 0f, 0f, 0f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 2, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 1, 3, 2),
                HandCase.ints(new int[] {1, 0, 1, 0, 0, 0}, 2, 1, 1, 3)));
        m.put("attentionHeadMask", new HandCase(HandCase.expectFloats(new float[] {1.78228127f, 2.78228127f, 0f, 0f, 10f, 11f, 8f, 9f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 1, 2, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 2, 3, 2),
                HandCase.ints(new int[] {1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0}, 1, 2, 2, 3)));
        m.put("lstm", new HandCase(HandCase.expectFloats(new float[] {0.198868692f, -0.0214456682f, 0.316142767f, 0.466197988f, -0.0214456682f, 0.466197988f, -0.049592062f, 0.953977278f}, 8),
                HandCase.floats(new float[] {0.5f, -1f, 1f, 2f}, 2, 2, 1),
                HandCase.floats(new float[] {0.1f, -0.2f}, 2, 1),
                HandCase.floats(new float[] {0.3f, 0.5f}, 2, 1),
                HandCase.floats(new float[] {0.5f, -0.5f, 1f, 0.25f}, 1, 4),
                HandCase.floats(new float[] {0.2f, 0.1f, -0.3f, 0.4f}, 1, 4),
                HandCase.floats(new float[] {0.1f, 0.2f, 0f, -0.1f}, 4)));
        m.put("lstmMasked", new HandCase(HandCase.expectFloats(new float[] {0.134980524f, -0.061060364f, -0.061060364f, 0f, 0f, 0f, -0.0935750331f, 0.0937912976f, 0.353376687f, -0.061060364f, 0f, 0.353376687f, -0.136178105f, 0f, 0.673543232f}, 15),
                HandCase.floats(new float[] {0.5f, -1f, 1f, 2f, 1f, 0f, -0.5f, 0.5f, 1.5f}, 3, 3, 1),
                HandCase.floats(new float[] {0.5f, -0.5f, 1f, 0.25f}, 1, 4),
                HandCase.floats(new float[] {0.2f, 0.1f, -0.3f, 0.4f}, 1, 4),
                HandCase.ints(new int[] {2, 0, 3}, 3)));
        m.put("conv2d", new HandCase(HandCase.expectFloats(new float[] {2.5f, 1.5f, -3.5f, -2.5f, 0.5f, -6.5f, -15.5f, -10.5f, -21.5f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {0f, 1f, 0f, 1f, -4f, 1f, 0f, 1f, 0f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {0.5f}, 1)));
        m.put("conv2dStride2", new HandCase(HandCase.expectFloats(new float[] {9f, 13f, 30f, 36f, 31f, 35f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f}, 1, 1, 5, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, -1f, 2f}, 1, 1, 3, 2)));
        m.put("conv2dDilation", new HandCase(HandCase.expectFloats(new float[] {15f, 8f, -7f, 25f, 13f, -7f, 18f, 25f, 19f, 33f, 45f, 29f}, 1, 1, 4, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f}, 1, 1, 4, 5),
                HandCase.floats(new float[] {1f, 0f, 2f, 0f, 1f, 0f, -1f, 0f, 1f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {1f}, 1)));
        m.put("conv2dGroups", new HandCase(HandCase.expectFloats(new float[] {8f, 12f, 24f, 34f, 33f, 37f, 49f, 53f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f, 32f}, 1, 2, 4, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 2f, 0f, 0f, 0f, 0f}, 2, 1, 3, 3),
                HandCase.floats(new float[] {1f, -1f}, 2)));
        m.put("conv2dDepthwise", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 0f, 0f, 0f, 0f, 20f, 22f, 0f, 26f, 28f, -22f, -23f, -24f, -25f, -26f, -27f, 0f, 0f, 0f}, 1, 3, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f}, 1, 3, 3, 3),
                HandCase.floats(new float[] {0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f, 0f}, 3, 1, 3, 3)));
        m.put("conv2dBiasRelu", new HandCase(HandCase.expectFloats(new float[] {10f, 14f, 22f, 26f, 31f, 29.5f, 26.5f, 25f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 1, 2, 3, 3),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 0f, 1f, 1f, 0f, -1f, 0f, 0f, -1f, 0f, 0f, 0f, 0.5f}, 2, 2, 2, 2),
                HandCase.floats(new float[] {-20f, 30f}, 2)));
        m.put("conv2d1x1", new HandCase(HandCase.expectFloats(new float[] {-9f, -9f, -9f, -9f, 20.5f, 25.5f, 35.5f, 40.5f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 1, 2, 3, 3),
                HandCase.floats(new float[] {1f, -1f, 0.5f, 2f}, 2, 2, 1, 1)));
        m.put("conv2dNhwc", new HandCase(HandCase.expectFloats(new float[] {0f, 1f, 0f, 0f, 0f, 0f, 4.5f, 2f, 5.5f, 4f, 9.5f, 5f}, 1, 2, 3, 2),
                HandCase.floats(new float[] {-8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f}, 1, 3, 3, 2),
                HandCase.floats(new float[] {0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f}, 2, 3, 3, 2),
                HandCase.floats(new float[] {0.5f, 2f}, 2)));
        m.put("conv2dNhwcGroups", new HandCase(HandCase.expectFloats(new float[] {6f, 35f, 14f, 43f, 22f, 51f, 30f, 59f, 39f, 59f, 55f, 59f, 71f, -24f, 87f, -32f, 103f, -40f, 119f, -48f}, 1, 5, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f, 32f, 33f, 34f, 35f, 36f, 37f, 38f, 39f, 40f, 41f, 42f, 43f, 44f, 45f, 46f, 47f, 48f, 49f, 50f, 51f, 52f, 53f, 54f, 55f, 56f, 57f, 58f, 59f, 60f, 61f, 62f, 63f, 64f, 65f, 66f, 67f, 68f, 69f, 70f, 71f, 72f, 73f, 74f, 75f, 76f, 77f, 78f, 79f, 80f}, 1, 5, 4, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f}, 2, 3, 2, 2)));
        m.put("maxPool2d", new HandCase(HandCase.expectFloats(new float[] {5f, 8f, 9f, 9f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 5f, 2f, 0f, -1f, 3f, 8f, 4f, 7f, 2f, -5f, 6f, 0f, 9f, 1f, 3f}, 1, 1, 4, 4)));
        m.put("maxPool2d2x2", new HandCase(HandCase.expectFloats(new float[] {5f, 8f, 9f, 6f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {-1f, 5f, 2f, 0f, -7f, -1f, 3f, 8f, 4f, 6f, 7f, 2f, -5f, 6f, 1f, 0f, 9f, 1f, 3f, 2f}, 1, 1, 4, 5)));
        m.put("maxPool2dDilated", new HandCase(HandCase.expectFloats(new float[] {1f, -3f, -4f, 1f, 5f, 7f, 1f, -1f, -2f, -2f, 5f, -1f}, 1, 1, 4, 3),
                HandCase.floats(new float[] {1f, -5f, -2f, 0f, 7f, 1f, -3f, -8f, -4f, -6f, -7f, -2f, 5f, -6f, -1f, 0f, -9f, -1f, -3f, -2f}, 1, 1, 4, 5)));
        m.put("avgPool2d", new HandCase(HandCase.expectFloats(new float[] {1.55555556f, 3.33333333f, 6.33333333f, 11f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f}, 1, 1, 4, 4)));
        m.put("avgPool2dExcludePad", new HandCase(HandCase.expectFloats(new float[] {3f, 3.5f, 4.5f, 5.5f, 6f, 7f, 7.5f, 8.5f, 9.5f, 10f}, 1, 1, 2, 5),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 1, 3, 4)));
        m.put("adaptiveAvgPool2d", new HandCase(HandCase.expectFloats(new float[] {3f, 4f, 7.5f, 8.5f, 12f, 13f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f}, 1, 1, 5, 3)));
        m.put("adaptiveAvgPool2dGlobal", new HandCase(HandCase.expectFloats(new float[] {2.5f, 1.25f}, 1, 2, 1, 1),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, -1f, -2f, 8f, 0f}, 1, 2, 2, 2)));
        m.put("batchNorm2d", new HandCase(HandCase.expectFloats(new float[] {-1.34163944f, -0.447213148f, -3.68327889f, -0.105573703f, 0.447213148f, 1.34163944f, -1.8944263f, 1.68327889f}, 2, 2, 1, 2),
                HandCase.floats(new float[] {1f, 3f, -2f, 2f, 5f, 7f, 0f, 4f}, 2, 2, 1, 2),
                HandCase.floats(new float[] {1f, 2f}, 2),
                HandCase.floats(new float[] {0f, -1f}, 2)));
        m.put("batchNorm2dEval", new HandCase(HandCase.expectFloats(new float[] {0.559013501f, 1.6770405f, 1.40824693f, -0.224740789f, -0.914210027f, -2.32842005f}, 1, 3, 1, 2),
                HandCase.floats(new float[] {1f, 2f, 0f, -1f, 3f, 5f}, 1, 3, 1, 2),
                HandCase.floats(new float[] {1f, 2f, -1f}, 3),
                HandCase.floats(new float[] {0f, 1f, 0.5f}, 3)));
        m.put("flatten", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 2, 2, 1, 2)));
        // offsets and flips drawn from Generator(11) as documented in Vision.randomCropFlip
        m.put("randomCropFlip", new HandCase(HandCase.expectFloats(new float[] {-0.5f, -0.5f, -0.5f, 2f, 3f, -0.5f, 5f, 6f, -0.5f, -0.5f, 16f, 17f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f}, 2, 1, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 2, 1, 3, 3)));
        return m;
    }
}
