package dev.kiln.ops;

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
        Map<String, HandCase> m = new LinkedHashMap<>();
        c0(m);
        c1(m);
        c2(m);
        c3(m);
        c4(m);
        c5(m);
        c6(m);
        c7(m);
        c8(m);
        c9(m);
        c10(m);
        c11(m);
        c12(m);
        c13(m);
        c14(m);
        c15(m);
        c16(m);
        c17(m);
        c18(m);
        c19(m);
        c20(m);
        c21(m);
        c22(m);
        c23(m);
        c24(m);
        c25(m);
        c26(m);
        c27(m);
        c28(m);
        c29(m);
        c30(m);
        c31(m);
        c32(m);
        c33(m);
        c34(m);
        c35(m);
        c36(m);
        c37(m);
        c38(m);
        c39(m);
        c40(m);
        c41(m);
        c42(m);
        c43(m);
        c44(m);
        c45(m);
        c46(m);
        c47(m);
        c48(m);
        c49(m);
        c50(m);
        c51(m);
        c52(m);
        c53(m);
        c54(m);
        c55(m);
        c56(m);
        c57(m);
        c58(m);
        c59(m);
        c60(m);
        c61(m);
        c62(m);
        c63(m);
        c64(m);
        c65(m);
        c66(m);
        c67(m);
        c68(m);
        c69(m);
        c70(m);
        c71(m);
        c72(m);
        c73(m);
        c74(m);
        c75(m);
        c76(m);
        c77(m);
        c78(m);
        c79(m);
        c80(m);
        c81(m);
        c82(m);
        c83(m);
        c84(m);
        c85(m);
        c86(m);
        c87(m);
        c88(m);
        c89(m);
        c90(m);
        c91(m);
        c92(m);
        c93(m);
        c94(m);
        c95(m);
        c96(m);
        c97(m);
        c98(m);
        c99(m);
        c100(m);
        c101(m);
        c102(m);
        c103(m);
        c104(m);
        c105(m);
        c106(m);
        c107(m);
        c108(m);
        c109(m);
        c110(m);
        c111(m);
        c112(m);
        c113(m);
        c114(m);
        c115(m);
        c116(m);
        c117(m);
        c118(m);
        c119(m);
        c120(m);
        c121(m);
        c122(m);
        c123(m);
        c124(m);
        c125(m);
        c126(m);
        c127(m);
        return m;
    }

    private static void c0(Map<String, HandCase> m) {
        m.put("relu", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c1(Map<String, HandCase> m) {
        m.put("leakyRelu", new HandCase(HandCase.expectFloats(new float[] {-0.2f, -0.05f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c2(Map<String, HandCase> m) {
        m.put("gelu", new HandCase(HandCase.expectFloats(new float[] {-0.0455002639f, -0.154268769f, 0f, 0.345731231f, 0.841344746f, 2.99595031f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c3(Map<String, HandCase> m) {
        m.put("tanh", new HandCase(HandCase.expectFloats(new float[] {-0.96402758f, -0.462117157f, 0f, 0.462117157f, 0.761594156f, 0.995054754f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c4(Map<String, HandCase> m) {
        m.put("sigmoid", new HandCase(HandCase.expectFloats(new float[] {0.119202922f, 0.377540669f, 0.5f, 0.622459331f, 0.731058579f, 0.952574127f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c5(Map<String, HandCase> m) {
        m.put("exp", new HandCase(HandCase.expectFloats(new float[] {0.135335283f, 0.60653066f, 1f, 1.64872127f, 2.71828183f, 20.0855369f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c6(Map<String, HandCase> m) {
        m.put("log", new HandCase(HandCase.expectFloats(new float[] {-1.38629436f, -0.693147181f, 0f, 0.693147181f, 1.38629436f, 2.19722458f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
    }

    private static void c7(Map<String, HandCase> m) {
        m.put("neg", new HandCase(HandCase.expectFloats(new float[] {2f, 0.5f, 0f, -0.5f, -1f, -3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c8(Map<String, HandCase> m) {
        m.put("sqrt", new HandCase(HandCase.expectFloats(new float[] {0.5f, 0.707106781f, 1f, 1.41421356f, 2f, 3f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
    }

    private static void c9(Map<String, HandCase> m) {
        m.put("square", new HandCase(HandCase.expectFloats(new float[] {4f, 0.25f, 0f, 0.25f, 1f, 9f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c10(Map<String, HandCase> m) {
        m.put("abs", new HandCase(HandCase.expectFloats(new float[] {2f, 0.5f, 0f, 0.5f, 1f, 3f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c11(Map<String, HandCase> m) {
        m.put("softplus", new HandCase(HandCase.expectFloats(new float[] {0.126928011f, 0.474076984f, 0.693147181f, 0.974076984f, 1.31326169f, 3.04858735f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c12(Map<String, HandCase> m) {
        m.put("pow", new HandCase(HandCase.expectFloats(new float[] {0.0947322854f, 0.307786103f, 1f, 3.24900959f, 10.5560633f, 41.8998305f}, 2, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 1f, 2f, 4f, 9f}, 2, 3)));
    }

    private static void c13(Map<String, HandCase> m) {
        m.put("mulScalar", new HandCase(HandCase.expectFloats(new float[] {5f, 1.25f, 0f, -1.25f, -2.5f, -7.5f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c14(Map<String, HandCase> m) {
        m.put("addScalar", new HandCase(HandCase.expectFloats(new float[] {-1.25f, 0.25f, 0.75f, 1.25f, 1.75f, 3.75f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    private static void c15(Map<String, HandCase> m) {
        m.put("add", new HandCase(HandCase.expectFloats(new float[] {11f, 12f, 13f, 21f, 22f, 23f, 14f, 15f, 16f, 24f, 25f, 26f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 1, 3),
                HandCase.floats(new float[] {10f, 20f}, 2, 1)));
    }

    private static void c16(Map<String, HandCase> m) {
        m.put("sub", new HandCase(HandCase.expectFloats(new float[] {0f, 4f, 2.5f, 3f, 7f, 5.5f, 6f, 10f, 8.5f, 9f, 13f, 11.5f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 0.5f}, 3)));
    }

    private static void c17(Map<String, HandCase> m) {
        m.put("mul", new HandCase(HandCase.expectFloats(new float[] {2f, 4f, 6f, -12f, -15f, -18f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {2f, -3f}, 2, 1)));
    }

    private static void c18(Map<String, HandCase> m) {
        m.put("div", new HandCase(HandCase.expectFloats(new float[] {0.5f, 0.5f, 6f, 2f, 1.25f, 12f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {2f, 4f, 0.5f}, 1, 3)));
    }

    private static void c19(Map<String, HandCase> m) {
        m.put("maximum", new HandCase(HandCase.expectFloats(new float[] {1f, -1f, 4f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, -1f, 4f, 0f, 2f, -7f}, 2, 3)));
    }

    private static void c20(Map<String, HandCase> m) {
        m.put("minimum", new HandCase(HandCase.expectFloats(new float[] {0f, -2f, 3f, 0f, 1f, -6f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, 1f, 4f}, 3)));
    }

    private static void c21(Map<String, HandCase> m) {
        m.put("lt", new HandCase(HandCase.expectFloats(new float[] {0f, 1f, 1f, 0f, 0f, 0f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, -1f, 4f, 0f, 2f, -7f}, 2, 3)));
    }

    private static void c22(Map<String, HandCase> m) {
        m.put("gt", new HandCase(HandCase.expectFloats(new float[] {1f, 0f, 0f, 0f, 1f, 0f}, 2, 3),
                HandCase.floats(new float[] {1f, -2f, 3f, 0f, 5f, -6f}, 2, 3),
                HandCase.floats(new float[] {0f, 1f, 4f}, 3)));
    }

    private static void c23(Map<String, HandCase> m) {
        m.put("eq", new HandCase(HandCase.expectFloats(new float[] {1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f}, 2, 4),
                HandCase.floats(new float[] {0.5f, 1.2f, -0.7f, 2f, 0.4f, -0.6f, 1f, 0.9f}, 2, 4),
                HandCase.floats(new float[] {0.6f, 1.4f, -0.55f, 1.1f}, 1, 4)));
    }

    private static void c24(Map<String, HandCase> m) {
        m.put("toTypeInt64", new HandCase(HandCase.expectLongs(new long[] {1L, -1L, 5L, -5L, 8L, 0L}, 2, 3),
                HandCase.floats(new float[] {0.3f, -0.3f, 1.26f, -1.26f, 2f, 0f}, 2, 3)));
    }

    // kept where rand(Generator(11)) < 0.7, scaled by 1/0.7
    private static void c25(Map<String, HandCase> m) {
        m.put("dropout", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 4.28571429f, 5.71428571f, 7.14285714f, 8.57142857f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
    }

    private static void c26(Map<String, HandCase> m) {
        m.put("rand", new HandCase(HandCase.expectFloats(new float[] {0.00163543224f, 0.525120139f, 0.844416559f, 0.107581556f, 0.818335891f, 0.680480838f, 0.86944741f, 0.717245698f, 0.685145676f, 0.580875218f, 0.54643172f, 0.608841836f, 0.832907796f, 0.517302871f, 0.770160258f, 0.907160878f, 0.211087525f, 0.0347751379f, 0.829105556f, 0.116513133f, 0.726224422f, 0.571460903f, 0.305978954f, 0.238287807f, 0.905273378f, 0.393616199f, 0.98260355f, 0.607286036f, 0.0731633306f, 0.0639675856f, 0.0145714283f, 0.92994076f, 0.67567718f, 0.542934f, 0.847651362f, 0.00542128086f}, 4, 9),
                HandCase.floats(new float[] {0f}, 1)));
    }

    private static void c27(Map<String, HandCase> m) {
        m.put("randn", new HandCase(HandCase.expectFloats(new float[] {-0.67906744f, 1.06070915f, 0.537809267f, -0.222817458f, 0.572534024f, 0.7034017f, 0.0203719498f, 1.00462275f, -1.86548435f, -0.0970702196f, 0.293532724f, 1.92956014f, 0.715328984f, -1.81842796f, 0.828847348f, -0.955908847f, 0.406364345f, 0.166190466f, -0.465570654f, 0.135261876f, 0.946264869f}, 3, 7),
                HandCase.floats(new float[] {0f}, 1)));
    }

    private static void c28(Map<String, HandCase> m) {
        m.put("full", new HandCase(HandCase.expectFloats(new float[] {-2.5f, -2.5f, -2.5f, -2.5f, -2.5f, -2.5f}, 2, 3),
                HandCase.floats(new float[] {0f}, 1)));
    }

    private static void c29(Map<String, HandCase> m) {
        m.put("reshape", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
    }

    private static void c30(Map<String, HandCase> m) {
        m.put("permute", new HandCase(HandCase.expectFloats(new float[] {1f, 3f, 5f, 7f, 9f, 11f, 2f, 4f, 6f, 8f, 10f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 3, 2)));
    }

    private static void c31(Map<String, HandCase> m) {
        m.put("transpose", new HandCase(HandCase.expectFloats(new float[] {1f, 4f, 2f, 5f, 3f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3)));
    }

    private static void c32(Map<String, HandCase> m) {
        m.put("expand", new HandCase(HandCase.expectFloats(new float[] {1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f, 1f, 1f, 1f, 1f, 2f, 2f, 2f, 2f, 3f, 3f, 3f, 3f}, 2, 3, 4),
                HandCase.floats(new float[] {1f, 2f, 3f}, 3, 1)));
    }

    private static void c33(Map<String, HandCase> m) {
        m.put("slice", new HandCase(HandCase.expectFloats(new float[] {2f, 3f, 4f, 5f, 8f, 9f, 10f, 11f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 6)));
    }

    private static void c34(Map<String, HandCase> m) {
        m.put("select", new HandCase(HandCase.expectFloats(new float[] {5f, 6f}, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2)));
    }

    private static void c35(Map<String, HandCase> m) {
        m.put("indexSelect", new HandCase(HandCase.expectFloats(new float[] {7f, 8f, 1f, 2f, 7f, 8f, 3f, 4f}, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2),
                HandCase.ints(new int[] {3, 0, 3, 1}, 4)));
    }

    private static void c36(Map<String, HandCase> m) {
        m.put("cat", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 10f, 11f, 12f, 3f, 4f, 13f, 14f, 15f}, 2, 5),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                HandCase.floats(new float[] {10f, 11f, 12f, 13f, 14f, 15f}, 2, 3)));
    }

    private static void c37(Map<String, HandCase> m) {
        m.put("stack", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 10f, 11f, 12f, 4f, 5f, 6f, 13f, 14f, 15f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {10f, 11f, 12f, 13f, 14f, 15f}, 2, 3)));
    }

    private static void c38(Map<String, HandCase> m) {
        m.put("matmul", new HandCase(HandCase.expectFloats(new float[] {1f, -4f, 6f, -1f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, -1f, 0f, 3f, 1f}, 2, 3),
                HandCase.floats(new float[] {2f, 0f, 1f, -1f, 3f, 2f}, 3, 2)));
    }

    private static void c39(Map<String, HandCase> m) {
        m.put("matmulNd2d", new HandCase(HandCase.expectFloats(new float[] {13f, 4f, 31f, 7f, 49f, 10f, 67f, 13f}, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {2f, 0f, 1f, -1f, 3f, 2f}, 3, 2)));
    }

    private static void c40(Map<String, HandCase> m) {
        m.put("bmm", new HandCase(HandCase.expectFloats(new float[] {7f, -1f, 16f, -1f, 2f, 22f, 2f, 31f}, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 2, 3),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 2f, -1f, -1f, 2f, 0f, 1f, 1f, 0f}, 2, 3, 2)));
    }

    private static void c41(Map<String, HandCase> m) {
        m.put("mmTransA", new HandCase(HandCase.expectFloats(new float[] {7f, 14f, 10f, 16f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, -1f, 2f, 0f, 0f, 3f}, 3, 2)));
    }

    private static void c42(Map<String, HandCase> m) {
        m.put("mmTransB", new HandCase(HandCase.expectFloats(new float[] {-2f, 4f, -2f, 13f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 2f, 1f, 0f}, 2, 3)));
    }

    private static void c43(Map<String, HandCase> m) {
        m.put("mmTransAB", new HandCase(HandCase.expectFloats(new float[] {-4f, 5f, -4f, 8f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 3, 2),
                HandCase.floats(new float[] {1f, 0f, -1f, 2f, 1f, 0f}, 2, 3)));
    }

    private static void c44(Map<String, HandCase> m) {
        m.put("linear", new HandCase(HandCase.expectFloats(new float[] {-1.5f, -1f, -2.5f, -3.5f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
    }

    private static void c45(Map<String, HandCase> m) {
        m.put("linearRelu", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 0f, 0f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
    }

    private static void c46(Map<String, HandCase> m) {
        m.put("linearGelu3d", new HandCase(HandCase.expectFloats(new float[] {-0.100428423f, -0.158808009f, -0.0150842661f, -0.000616197655f}, 2, 1, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 1, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3),
                HandCase.floats(new float[] {0.5f, -4f}, 2)));
    }

    private static void c47(Map<String, HandCase> m) {
        m.put("linearReluNoBias", new HandCase(HandCase.expectFloats(new float[] {0f, 3f, 0f, 0.5f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 2f}, 2, 3),
                HandCase.floats(new float[] {1f, 0f, -1f, 0.5f, 0.5f, 0.5f}, 2, 3)));
    }

    private static void c48(Map<String, HandCase> m) {
        m.put("sumAll", new HandCase(HandCase.expectFloats(new float[] {21.5f}),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6.5f}, 2, 3)));
    }

    private static void c49(Map<String, HandCase> m) {
        m.put("sumAxis", new HandCase(HandCase.expectFloats(new float[] {9f, 12f, 27f, 30f}, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 3, 2)));
    }

    private static void c50(Map<String, HandCase> m) {
        m.put("meanAxis", new HandCase(HandCase.expectFloats(new float[] {3f, 2f}, 2, 1),
                HandCase.floats(new float[] {1f, 2f, 6f, -3f, 0f, 9f}, 2, 3)));
    }

    private static void c51(Map<String, HandCase> m) {
        m.put("maxAxis", new HandCase(HandCase.expectFloats(new float[] {7f, -1f}, 2),
                HandCase.floats(new float[] {1f, 7f, 3f, -3f, -1f, -2f}, 2, 3)));
    }

    private static void c52(Map<String, HandCase> m) {
        m.put("argmax", new HandCase(HandCase.expectLongs(new long[] {1L, 1L}, 2),
                HandCase.floats(new float[] {1f, 7f, 7f, -3f, -1f, -2f}, 2, 3)));
    }

    private static void c53(Map<String, HandCase> m) {
        m.put("softmax", new HandCase(HandCase.expectFloats(new float[] {0.0900305732f, 0.244728471f, 0.665240956f, 0.0628900132f, 0.17095278f, 0.766157207f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3)));
    }

    private static void c54(Map<String, HandCase> m) {
        m.put("softmaxAxis0", new HandCase(HandCase.expectFloats(new float[] {0.114195199f, 0.603748896f, 0.843794734f, 0.0300588876f, 0.0420100661f, 0.366192216f}, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 3, 2)));
    }

    private static void c55(Map<String, HandCase> m) {
        m.put("logSoftmax", new HandCase(HandCase.expectFloats(new float[] {-2.40760596f, -1.40760596f, -0.407605964f, -2.7663679f, -1.7663679f, -0.2663679f}, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3)));
    }

    private static void c56(Map<String, HandCase> m) {
        m.put("crossEntropy", new HandCase(HandCase.expectFloats(new float[] {1.58698693f}),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f}, 2, 3),
                HandCase.ints(new int[] {2, 0}, 2)));
    }

    private static void c57(Map<String, HandCase> m) {
        m.put("mseLoss", new HandCase(HandCase.expectFloats(new float[] {1.3125f}),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                HandCase.floats(new float[] {1.5f, 2f, 1f, 5f}, 2, 2)));
    }

    private static void c58(Map<String, HandCase> m) {
        m.put("bceWithLogits", new HandCase(HandCase.expectFloats(new float[] {0.495603466f}),
                HandCase.floats(new float[] {-1f, 0f, 2f, 0.5f}, 2, 2),
                HandCase.floats(new float[] {0f, 1f, 1f, 0.25f}, 2, 2)));
    }

    private static void c59(Map<String, HandCase> m) {
        m.put("embedding", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 7f, 8f, 3f, 4f, 7f, 8f, 7f, 8f, 5f, 6f}, 2, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 4, 2),
                HandCase.ints(new int[] {0, 3, 1, 3, 3, 2}, 2, 3)));
    }

    private static void c60(Map<String, HandCase> m) {
        m.put("layerNorm", new HandCase(HandCase.expectFloats(new float[] {-1.18321325f, -0.0141827875f, -0.915484768f, -1.02127418f, -1.06904344f, -0.0690434404f, -1f, -1.10356516f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 5f, -1f, 0f, 1f, 4f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 0.5f, -1f}, 4),
                HandCase.floats(new float[] {0f, 1f, -1f, 0.5f}, 4)));
    }

    private static void c61(Map<String, HandCase> m) {
        m.put("layerNormNoAffine", new HandCase(HandCase.expectFloats(new float[] {-1.06904153f, -0.267260383f, 1.33630191f, -1.22474258f, 0f, 1.22474258f}, 2, 1, 3),
                HandCase.floats(new float[] {1f, 2f, 4f, -2f, 0f, 2f}, 2, 1, 3)));
    }

    private static void c62(Map<String, HandCase> m) {
        m.put("attention", new HandCase(HandCase.expectFloats(new float[] {2.1281078f, 3.1281078f, 3.28793233f, 4.28793233f, 2.71206767f, 3.71206767f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f}, 1, 1, 3, 2)));
    }

    private static void c63(Map<String, HandCase> m) {
        m.put("attentionCausalPadded", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 2.60885937f, 3.60885937f, 0f, 0f, 0f, 0f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 2, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 1, 3, 2),
                HandCase.ints(new int[] {2, 0}, 2)));
    }

    private static void c64(Map<String, HandCase> m) {
        m.put("attentionD32Ragged", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 2.48563337f, 3.48563337f, 1.58015046f, 2.58015046f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0.5f, 1f, 1f, -1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f}, 1, 1, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 1, 1, 4, 2),
                HandCase.ints(new int[] {3}, 1)));
    }

    private static void c65(Map<String, HandCase> m) {
        m.put("attentionD20", new HandCase(HandCase.expectFloats(new float[] {4.23562921f, 5.23562921f, 4.48945208f, 5.48945208f, 3.69555275f, 4.69555275f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0.5f, 1f, 1f, -1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f}, 1, 1, 4, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 1, 1, 4, 2)));
    }

    private static void c66(Map<String, HandCase> m) {
        m.put("attentionKeyMask", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 1f, 2f, 0f, 0f, 0f, 0f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 2, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 2, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 2, 1, 3, 2),
                HandCase.ints(new int[] {1, 0, 1, 0, 0, 0}, 2, 1, 1, 3)));
    }

    private static void c67(Map<String, HandCase> m) {
        m.put("attentionHeadMask", new HandCase(HandCase.expectFloats(new float[] {1.78228127f, 2.78228127f, 0f, 0f, 10f, 11f, 8f, 9f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 1f, 1f, -1f, 2f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f, 2f, 2f, 0f, 1f, 1f, 0f}, 1, 2, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 2, 3, 2),
                HandCase.ints(new int[] {1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 0}, 1, 2, 2, 3)));
    }

    private static void c68(Map<String, HandCase> m) {
        m.put("lstm", new HandCase(HandCase.expectFloats(new float[] {0.198868692f, -0.0214456682f, 0.316142767f, 0.466197988f, -0.0214456682f, 0.466197988f, -0.049592062f, 0.953977278f}, 8),
                HandCase.floats(new float[] {0.5f, -1f, 1f, 2f}, 2, 2, 1),
                HandCase.floats(new float[] {0.1f, -0.2f}, 2, 1),
                HandCase.floats(new float[] {0.3f, 0.5f}, 2, 1),
                HandCase.floats(new float[] {0.5f, -0.5f, 1f, 0.25f}, 1, 4),
                HandCase.floats(new float[] {0.2f, 0.1f, -0.3f, 0.4f}, 1, 4),
                HandCase.floats(new float[] {0.1f, 0.2f, 0f, -0.1f}, 4)));
    }

    private static void c69(Map<String, HandCase> m) {
        m.put("lstmMasked", new HandCase(HandCase.expectFloats(new float[] {0.134980524f, -0.061060364f, -0.061060364f, 0f, 0f, 0f, -0.0935750331f, 0.0937912976f, 0.353376687f, -0.061060364f, 0f, 0.353376687f, -0.136178105f, 0f, 0.673543232f}, 15),
                HandCase.floats(new float[] {0.5f, -1f, 1f, 2f, 1f, 0f, -0.5f, 0.5f, 1.5f}, 3, 3, 1),
                HandCase.floats(new float[] {0.5f, -0.5f, 1f, 0.25f}, 1, 4),
                HandCase.floats(new float[] {0.2f, 0.1f, -0.3f, 0.4f}, 1, 4),
                HandCase.ints(new int[] {2, 0, 3}, 3)));
    }

    private static void c70(Map<String, HandCase> m) {
        m.put("conv2d", new HandCase(HandCase.expectFloats(new float[] {2.5f, 1.5f, -3.5f, -2.5f, 0.5f, -6.5f, -15.5f, -10.5f, -21.5f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {0f, 1f, 0f, 1f, -4f, 1f, 0f, 1f, 0f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {0.5f}, 1)));
    }

    private static void c71(Map<String, HandCase> m) {
        m.put("conv2dStride2", new HandCase(HandCase.expectFloats(new float[] {9f, 13f, 30f, 36f, 31f, 35f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f}, 1, 1, 5, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, -1f, 2f}, 1, 1, 3, 2)));
    }

    private static void c72(Map<String, HandCase> m) {
        m.put("conv2dDilation", new HandCase(HandCase.expectFloats(new float[] {15f, 8f, -7f, 25f, 13f, -7f, 18f, 25f, 19f, 33f, 45f, 29f}, 1, 1, 4, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f}, 1, 1, 4, 5),
                HandCase.floats(new float[] {1f, 0f, 2f, 0f, 1f, 0f, -1f, 0f, 1f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {1f}, 1)));
    }

    private static void c73(Map<String, HandCase> m) {
        m.put("conv2dGroups", new HandCase(HandCase.expectFloats(new float[] {8f, 12f, 24f, 34f, 33f, 37f, 49f, 53f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f, 32f}, 1, 2, 4, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 2f, 0f, 0f, 0f, 0f}, 2, 1, 3, 3),
                HandCase.floats(new float[] {1f, -1f}, 2)));
    }

    private static void c74(Map<String, HandCase> m) {
        m.put("conv2dDepthwise", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 0f, 0f, 0f, 0f, 20f, 22f, 0f, 26f, 28f, -22f, -23f, -24f, -25f, -26f, -27f, 0f, 0f, 0f}, 1, 3, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f}, 1, 3, 3, 3),
                HandCase.floats(new float[] {0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 2f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f, 0f}, 3, 1, 3, 3)));
    }

    private static void c75(Map<String, HandCase> m) {
        m.put("conv2dBiasRelu", new HandCase(HandCase.expectFloats(new float[] {10f, 14f, 22f, 26f, 31f, 29.5f, 26.5f, 25f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 1, 2, 3, 3),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f, 0f, 1f, 1f, 0f, -1f, 0f, 0f, -1f, 0f, 0f, 0f, 0.5f}, 2, 2, 2, 2),
                HandCase.floats(new float[] {-20f, 30f}, 2)));
    }

    private static void c76(Map<String, HandCase> m) {
        m.put("conv2d1x1", new HandCase(HandCase.expectFloats(new float[] {-9f, -9f, -9f, -9f, 20.5f, 25.5f, 35.5f, 40.5f}, 1, 2, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 1, 2, 3, 3),
                HandCase.floats(new float[] {1f, -1f, 0.5f, 2f}, 2, 2, 1, 1)));
    }

    private static void c77(Map<String, HandCase> m) {
        m.put("conv2dNhwc", new HandCase(HandCase.expectFloats(new float[] {0f, 1f, 0f, 0f, 0f, 0f, 4.5f, 2f, 5.5f, 4f, 9.5f, 5f}, 1, 2, 3, 2),
                HandCase.floats(new float[] {-8f, -7f, -6f, -5f, -4f, -3f, -2f, -1f, 0f, 1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f}, 1, 3, 3, 2),
                HandCase.floats(new float[] {0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f}, 2, 3, 3, 2),
                HandCase.floats(new float[] {0.5f, 2f}, 2)));
    }

    private static void c78(Map<String, HandCase> m) {
        m.put("conv2dNhwcGroups", new HandCase(HandCase.expectFloats(new float[] {6f, 35f, 14f, 43f, 22f, 51f, 30f, 59f, 39f, 59f, 55f, 59f, 71f, -24f, 87f, -32f, 103f, -40f, 119f, -48f}, 1, 5, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f, 32f, 33f, 34f, 35f, 36f, 37f, 38f, 39f, 40f, 41f, 42f, 43f, 44f, 45f, 46f, 47f, 48f, 49f, 50f, 51f, 52f, 53f, 54f, 55f, 56f, 57f, 58f, 59f, 60f, 61f, 62f, 63f, 64f, 65f, 66f, 67f, 68f, 69f, 70f, 71f, 72f, 73f, 74f, 75f, 76f, 77f, 78f, 79f, 80f}, 1, 5, 4, 4),
                HandCase.floats(new float[] {1f, 0f, 0f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -1f, 0f, 0f, 0f, 0f, 1f, 0f, 0f, 0f}, 2, 3, 2, 2)));
    }

    private static void c79(Map<String, HandCase> m) {
        m.put("maxPool2d", new HandCase(HandCase.expectFloats(new float[] {5f, 8f, 9f, 9f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 5f, 2f, 0f, -1f, 3f, 8f, 4f, 7f, 2f, -5f, 6f, 0f, 9f, 1f, 3f}, 1, 1, 4, 4)));
    }

    private static void c80(Map<String, HandCase> m) {
        m.put("maxPool2d2x2", new HandCase(HandCase.expectFloats(new float[] {5f, 8f, 9f, 6f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {-1f, 5f, 2f, 0f, -7f, -1f, 3f, 8f, 4f, 6f, 7f, 2f, -5f, 6f, 1f, 0f, 9f, 1f, 3f, 2f}, 1, 1, 4, 5)));
    }

    private static void c81(Map<String, HandCase> m) {
        m.put("maxPool2dDilated", new HandCase(HandCase.expectFloats(new float[] {1f, -3f, -4f, 1f, 5f, 7f, 1f, -1f, -2f, -2f, 5f, -1f}, 1, 1, 4, 3),
                HandCase.floats(new float[] {1f, -5f, -2f, 0f, 7f, 1f, -3f, -8f, -4f, -6f, -7f, -2f, 5f, -6f, -1f, 0f, -9f, -1f, -3f, -2f}, 1, 1, 4, 5)));
    }

    private static void c82(Map<String, HandCase> m) {
        m.put("avgPool2d", new HandCase(HandCase.expectFloats(new float[] {1.55555556f, 3.33333333f, 6.33333333f, 11f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f}, 1, 1, 4, 4)));
    }

    private static void c83(Map<String, HandCase> m) {
        m.put("avgPool2dExcludePad", new HandCase(HandCase.expectFloats(new float[] {3f, 3.5f, 4.5f, 5.5f, 6f, 7f, 7.5f, 8.5f, 9.5f, 10f}, 1, 1, 2, 5),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 1, 3, 4)));
    }

    private static void c84(Map<String, HandCase> m) {
        m.put("adaptiveAvgPool2d", new HandCase(HandCase.expectFloats(new float[] {3f, 4f, 7.5f, 8.5f, 12f, 13f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f}, 1, 1, 5, 3)));
    }

    private static void c85(Map<String, HandCase> m) {
        m.put("adaptiveAvgPool2dGlobal", new HandCase(HandCase.expectFloats(new float[] {2.5f, 1.25f}, 1, 2, 1, 1),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, -1f, -2f, 8f, 0f}, 1, 2, 2, 2)));
    }

    private static void c86(Map<String, HandCase> m) {
        m.put("batchNorm2d", new HandCase(HandCase.expectFloats(new float[] {-1.34163944f, -0.447213148f, -3.68327889f, -0.105573703f, 0.447213148f, 1.34163944f, -1.8944263f, 1.68327889f}, 2, 2, 1, 2),
                HandCase.floats(new float[] {1f, 3f, -2f, 2f, 5f, 7f, 0f, 4f}, 2, 2, 1, 2),
                HandCase.floats(new float[] {1f, 2f}, 2),
                HandCase.floats(new float[] {0f, -1f}, 2)));
    }

    private static void c87(Map<String, HandCase> m) {
        m.put("batchNorm2dEval", new HandCase(HandCase.expectFloats(new float[] {0.559013501f, 1.6770405f, 1.40824693f, -0.224740789f, -0.914210027f, -2.32842005f}, 1, 3, 1, 2),
                HandCase.floats(new float[] {1f, 2f, 0f, -1f, 3f, 5f}, 1, 3, 1, 2),
                HandCase.floats(new float[] {1f, 2f, -1f}, 3),
                HandCase.floats(new float[] {0f, 1f, 0.5f}, 3)));
    }

    private static void c88(Map<String, HandCase> m) {
        m.put("flatten", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 2, 4),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f}, 2, 2, 1, 2)));
    }

    // offsets and flips drawn from Generator(11) as documented in Vision.randomCropFlip
    private static void c89(Map<String, HandCase> m) {
        m.put("randomCropFlip", new HandCase(HandCase.expectFloats(new float[] {-0.5f, -0.5f, -0.5f, 2f, 3f, -0.5f, 5f, 6f, -0.5f, -0.5f, 16f, 17f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f, -0.5f}, 2, 1, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f}, 2, 1, 3, 3)));
    }

    private static void c90(Map<String, HandCase> m) {
        m.put("sparseMm", new HandCase(HandCase.expectFloats(new float[] {-0.1f, 0.925f, 0.1625f, -0.1875f, 0.8375f, 1.875f, -0.625f, -3.125f, 1.25f, -1.25f, 0f, 0f, 0f, 0f, 0f, -1.2125f, 1.8125f, -0.8f, 1.4f, -0.3875f, 1.875f, 0.375f, -1.125f, 1.5f, 0f, 0f, 0f, 0f, 0f, 0f, -0.5f, 1.25f, -1.8125f, -0.0625f, 1.6875f}, 7, 5),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f}, 9, 5)));
    }

    private static void c91(Map<String, HandCase> m) {
        m.put("sparseMmWide4", new HandCase(HandCase.expectFloats(new float[] {1.4f, 2.5f, -2.0875f, 2.5875f, -2f, 1.05f, -1.9125f, 1.1375f, -1.875f, 2.5f, -1.25f, 3.125f, -0.625f, 3.75f, 0f, -3.75f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -2.175f, 1.225f, -2.0375f, 1.3625f, -1.9f, 1.5f, -1.7625f, 1.6375f, 0.375f, -1.875f, 0.75f, -1.5f, 1.125f, -1.125f, 1.5f, -0.75f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, -3f, -0.375f, 3.0625f, -0.8125f, 2.625f, -1.25f, 2.1875f, -1.6875f}, 7, 8),
                HandCase.floats(new float[] {-1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f}, 9, 8)));
    }

    private static void c92(Map<String, HandCase> m) {
        m.put("sparseMmVector", new HandCase(HandCase.expectFloats(new float[] {-0.525f, -3.75f, 0f, -0.825f, -2.25f, 0f, 2.625f}, 7),
                HandCase.floats(new float[] {-1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f}, 9)));
    }

    // the 20 x 100 matrix of SparseOps.skewed(): row 3 holds 90 nonzeros
    private static void c93(Map<String, HandCase> m) {
        m.put("sparseMmSkewed", new HandCase(HandCase.expectFloats(new float[] {-0.31275f, -0.1325f, 0.215625f, 1.725375f, -0.572125f, 1.036125f, 0.425625f, -0.388875f, 0.1545f, -2.370625f, 3.84575f, 0.62925f, -0.574125f, 1.672125f, 0.09975f, 0.55725f, 0.2535f, -0.7685f, 0.902625f, 0.03725f, -0.828125f, 0.1935f, -0.73875f, -0.02625f, 0.198f, -0.2375f, -0.084375f, -0.37025f, 0.4655f, -0.70475f, -0.72825f, 1.086625f, -0.62175f, -0.070875f, -0.333f, 0.348375f, 0.82775f, 0.35525f, -0.98f, -0.1045f, 0.70625f, -0.261625f, 1.419875f, -0.491375f, 0.8465f, 0.288875f, -0.306125f, 0.110375f, 0.145f, -0.16375f, 0.052375f, 0.4635f, -1.10175f, 0.5715f, 0.17325f, -0.405f, 0.081375f, -0.0095f, 1.00025f, -0.44225f}, 20, 3),
                HandCase.floats(new float[] {-1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f, 0.125f, 1f, -0.25f, 0.625f, -0.625f, 0.25f, -1f, -0.125f, 0.75f, -0.5f, 0.375f, -0.875f, 0f, 0.875f, -0.375f, 0.5f, -0.75f}, 100, 3)));
    }

    private static void c94(Map<String, HandCase> m) {
        m.put("segmentSum", new HandCase(HandCase.expectFloats(new float[] {0f, 0.75f, -1.25f, 0f, 0f, 0f, 2.5f, -2.5f, 0.75f, -1.5f, 1f, 0.75f}, 4, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f}, 10, 3)));
    }

    private static void c95(Map<String, HandCase> m) {
        m.put("scatterSum", new HandCase(HandCase.expectFloats(new float[] {0.5f, -1.5f, 1f, -0.5f, -1.5f, 2f, -2f, 1.5f, 0.5f, 0f, 0f, 0f, -3f, 3f, 0f, -0.5f, -1.5f, 2f}, 6, 3),
                HandCase.floats(new float[] {-2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f}, 8, 3)));
    }

    private static void c96(Map<String, HandCase> m) {
        m.put("scatterSumUnordered", new HandCase(HandCase.expectFloats(new float[] {0.5f, -1.5f, 1f, -0.5f, -1.5f, 2f, -2f, 1.5f, 0.5f, 0f, 0f, 0f, -3f, 3f, 0f, -0.5f, -1.5f, 2f}, 6, 3),
                HandCase.floats(new float[] {-2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f}, 8, 3)));
    }

    private static void c97(Map<String, HandCase> m) {
        m.put("noiseScheduleLinear", new HandCase(HandCase.expectFloats(new float[] {0.00100000005f, 0.00236111118f, 0.00372222231f, 0.00508333344f, 0.00644444457f, 0.0078055557f, 0.00916666683f, 0.010527778f, 0.0118888891f, 0.0132500002f, 0.0146111114f, 0.0159722225f, 0.0173333336f, 0.0186944447f, 0.0200555559f, 0.021416667f, 0.0227777781f, 0.0241388893f, 0.0255000004f, 0.0268611115f, 0.0282222227f, 0.0295833338f, 0.0309444449f, 0.032305556f, 0.0336666672f, 0.0350277783f, 0.0363888894f, 0.0377500006f, 0.0391111117f, 0.0404722228f, 0.041833334f, 0.0431944451f, 0.0445555562f, 0.0459166674f, 0.0472777785f, 0.0486388896f, 0.0500000007f, 0.999f, 0.99664125f, 0.99293153f, 0.987884128f, 0.981517763f, 0.973856471f, 0.964929454f, 0.954770891f, 0.943419725f, 0.930919414f, 0.917317647f, 0.902666045f, 0.887019833f, 0.87043749f, 0.852980382f, 0.834712386f, 0.815699492f, 0.796009412f, 0.775711172f, 0.754874708f, 0.733570466f, 0.711869006f, 0.689840614f, 0.66755493f, 0.64508058f, 0.622484841f, 0.599833309f, 0.577189601f, 0.554615074f, 0.532168569f, 0.509906184f, 0.487881069f, 0.466143257f, 0.444739512f, 0.423713216f, 0.403104275f, 0.382949061f, 0.999499875f, 0.998319212f, 0.996459497f, 0.993923602f, 0.990715783f, 0.986841665f, 0.982308227f, 0.977123785f, 0.971297959f, 0.964841652f, 0.957767011f, 0.950087388f, 0.941817304f, 0.932972395f, 0.923569371f, 0.913625955f, 0.903160834f, 0.892193596f, 0.880744669f, 0.868835259f, 0.856487283f, 0.843723299f, 0.830566442f, 0.817040348f, 0.803169086f, 0.788977085f, 0.774489063f, 0.759729953f, 0.744724831f, 0.729498848f, 0.714077155f, 0.698484838f, 0.682746847f, 0.66688793f, 0.650932574f, 0.634904934f, 0.618828782f, 0.0316227774f, 0.0579547247f, 0.0840741959f, 0.110072124f, 0.135949391f, 0.161689605f, 0.187271317f, 0.212671365f, 0.237866085f, 0.262831859f, 0.287545394f, 0.311983902f, 0.336125225f, 0.359947927f, 0.383431373f, 0.406555795f, 0.42930235f, 0.451653172f, 0.473591415f, 0.495101295f, 0.516168126f, 0.536778347f, 0.55691955f, 0.576580498f, 0.595751139f, 0.614422623f, 0.632587299f, 0.650238725f, 0.667371655f, 0.68398204f, 0.700067009f, 0.715624854f, 0.73065501f, 0.745158029f, 0.759135551f, 0.77259027f, 0.7855259f, 0f, 0.000702973192f, 0.00176870156f, 0.00296564627f, 0.00422460055f, 0.00551815834f, 0.00683334139f, 0.00816321457f, 0.00950373375f, 0.0108523783f, 0.0122074916f, 0.0135679367f, 0.0149329034f, 0.016301795f, 0.0176741594f, 0.0190496439f, 0.0204279665f, 0.0218088962f, 0.0231922388f, 0.0245778278f, 0.0259655169f, 0.0273551753f, 0.0287466835f, 0.0301399308f, 0.031534813f, 0.0329312306f, 0.0343290876f, 0.0357282906f, 0.0371287481f, 0.0385303697f, 0.0399330655f, 0.0413367465f, 0.0427413236f, 0.0441467078f, 0.0455528099f, 0.0469595411f, 0.0483668119f, 0f, 0.0265136416f, 0.0420559337f, 0.0544577476f, 0.0649969273f, 0.0742843075f, 0.0826640272f, 0.0903505095f, 0.0974870953f, 0.104174749f, 0.110487518f, 0.116481487f, 0.122200259f, 0.127678483f, 0.132944197f, 0.138020447f, 0.142926438f, 0.147678354f, 0.152289983f, 0.156773173f, 0.161138192f, 0.165394f, 0.169548469f, 0.173608556f, 0.177580441f, 0.181469641f, 0.185281104f, 0.189019286f, 0.192688215f, 0.196291543f, 0.199832594f, 0.203314403f, 0.206739748f, 0.21011118f, 0.213431043f, 0.216701502f, 0.21992456f, 1f, 0.702621584f, 0.525710066f, 0.418074381f, 0.346564411f, 0.295793554f, 0.257938632f, 0.228647503f, 0.205317425f, 0.186299782f, 0.170500817f, 0.157166816f, 0.145761704f, 0.135893875f, 0.127270634f, 0.119668844f, 0.11291542f, 0.106874046f, 0.101435891f, 0.0965130141f, 0.0920335735f, 0.0879382978f, 0.0841778465f, 0.0807108095f, 0.0775021707f, 0.0745221165f, 0.0717451016f, 0.0691491094f, 0.0667150622f, 0.0644263453f, 0.0622684227f, 0.0602285223f, 0.0582953776f, 0.0564590143f, 0.0547105724f, 0.0530421584f, 0.0514467205f, 0f, 0.29737812f, 0.474288366f, 0.5819211f, 0.653425738f, 0.704188173f, 0.742030874f, 0.77130527f, 0.794613385f, 0.813603118f, 0.829367504f, 0.842659533f, 0.854014553f, 0.863823445f, 0.872378174f, 0.879901149f, 0.886564723f, 0.892504488f, 0.897828545f, 0.902624113f, 0.906962311f, 0.910901697f, 0.9144909f, 0.917770627f, 0.920775202f, 0.923533754f, 0.926071158f, 0.928408774f, 0.930565038f, 0.932555943f, 0.934395423f, 0.936095671f, 0.9376674f, 0.939120059f, 0.940462012f, 0.941700691f, 0.942842723f, 1.00050038f, 1.00168362f, 1.00355308f, 1.00611355f, 1.00937122f, 1.01333379f, 1.01801041f, 1.02341179f, 1.02955019f, 1.0364395f, 1.04409526f, 1.05253476f, 1.06177705f, 1.07184307f, 1.0827557f, 1.09453983f, 1.1072225f, 1.12083297f, 1.13540284f, 1.15096618f, 1.16755966f, 1.18522269f, 1.2039976f, 1.22392976f, 1.24506784f, 1.26746393f, 1.29117382f, 1.31625717f, 1.34277784f, 1.37080408f, 1.4004089f, 1.4316703f, 1.46467172f, 1.49950232f, 1.53625743f, 1.57503895f, 1.61595587f, 0.0316386006f, 0.0580522983f, 0.0843729184f, 0.110745055f, 0.137223403f, 0.16384554f, 0.19064415f, 0.217650382f, 0.244895074f, 0.272409321f, 0.300224784f, 0.328373901f, 0.35689005f, 0.385807692f, 0.415162504f, 0.444991512f, 0.475333223f, 0.506227767f, 0.537717038f, 0.569844847f, 0.602657081f, 0.636201878f, 0.6705298f, 0.705694032f, 0.741750585f, 0.778758515f, 0.816780158f, 0.855881386f, 0.89613187f, 0.937605374f, 0.980380066f, 1.02453885f, 1.07016973f, 1.11736619f, 1.16622763f, 1.21685977f, 1.26937519f}, 10, 37),
                HandCase.floats(new float[] {0.5f}, 1)));
    }

    private static void c98(Map<String, HandCase> m) {
        m.put("noiseScheduleCosine", new HandCase(HandCase.expectFloats(new float[] {0.000155887052f, 0.00020950047f, 0.000263122246f, 0.000316755258f, 0.000370402386f, 0.000424066511f, 0.000477750521f, 0.000531457306f, 0.000585189762f, 0.000638950788f, 0.000692743293f, 0.000746570191f, 0.000800434401f, 0.000854338855f, 0.00090828649f, 0.000962280252f, 0.0010163231f, 0.001070418f, 0.00112456794f, 0.0011787759f, 0.00123304489f, 0.00128737792f, 0.00134177803f, 0.00139624826f, 0.00145079168f, 0.00150541136f, 0.00156011039f, 0.0016148919f, 0.001669759f, 0.00172471484f, 0.0017797626f, 0.00183490547f, 0.00189014665f, 0.00194548938f, 0.00200093691f, 0.00205649252f, 0.00211215951f, 0.00216794122f, 0.002223841f, 0.00227986223f, 0.00233600831f, 0.00239228269f, 0.00244868883f, 0.00250523024f, 0.00256191043f, 0.00261873298f, 0.00267570147f, 0.00273281953f, 0.00279009084f, 0.00284751908f, 0.002905108f, 0.00296286137f, 0.00302078301f, 0.00307887677f, 0.00313714655f, 0.00319559628f, 0.00325422995f, 0.00331305159f, 0.00337206527f, 0.00343127512f, 0.00349068529f, 0.00355030002f, 0.00361012357f, 0.00367016026f, 0.00373041448f, 0.00379089065f, 0.00385159326f, 0.00391252686f, 0.00397369606f, 0.00403510552f, 0.00409675997f, 0.00415866421f, 0.00422082309f, 0.00428324155f, 0.00434592457f, 0.00440887724f, 0.00447210468f, 0.00453561211f, 0.00459940483f, 0.0046634882f, 0.00472786767f, 0.00479254877f, 0.00485753713f, 0.00492283844f, 0.0049884585f, 0.00505440319f, 0.00512067848f, 0.00518729045f, 0.00525424527f, 0.00532154921f, 0.00538920864f, 0.00545723005f, 0.00552562002f, 0.00559438524f, 0.00566353255f, 0.00573306886f, 0.00580300122f, 0.00587333682f, 0.00594408295f, 0.00601524704f, 0.00608683666f, 0.00615885951f, 0.00623132343f, 0.00630423639f, 0.00637760655f, 0.00645144217f, 0.0065257517f, 0.00660054373f, 0.00667582704f, 0.00675161055f, 0.00682790337f, 0.00690471478f, 0.00698205424f, 0.00705993142f, 0.00713835615f, 0.00721733847f, 0.00729688865f, 0.00737701712f, 0.00745773457f, 0.00753905189f, 0.0076209802f, 0.00770353084f, 0.00778671542f, 0.00787054578f, 0.007955034f, 0.00804019246f, 0.00812603377f, 0.00821257084f, 0.00829981686f, 0.00838778531f, 0.00847648998f, 0.00856594496f, 0.00865616467f, 0.00874716385f, 0.0088389576f, 0.00893156135f, 0.0090249909f, 0.00911926242f, 0.00921439247f, 0.009310398f, 0.00940729636f, 0.00950510534f, 0.00960384316f, 0.00970352847f, 0.0098041804f, 0.00990581856f, 0.010008463f, 0.0101121344f, 0.0102168539f, 0.0103226431f, 0.0104295242f, 0.0105375201f, 0.0106466542f, 0.0107569505f, 0.0108684337f, 0.0109811291f, 0.0110950628f, 0.0112102614f, 0.0113267525f, 0.0114445643f, 0.0115637257f, 0.0116842666f, 0.0118062177f, 0.0119296104f, 0.0120544774f, 0.0121808519f, 0.0123087683f, 0.012438262f, 0.0125693694f, 0.0127021281f, 0.0128365766f, 0.0129727548f, 0.0131107038f, 0.0132504658f, 0.0133920844f, 0.0135356047f, 0.013681073f, 0.0138285373f, 0.0139780469f, 0.014129653f, 0.0142834082f, 0.0144393669f, 0.0145975854f, 0.0147581219f, 0.0149210365f, 0.0150863913f, 0.0152542506f, 0.015424681f, 0.0155977513f, 0.0157735328f, 0.0159520995f, 0.0161335278f, 0.0163178971f, 0.0165052895f, 0.0166957904f, 0.0168894881f, 0.0170864745f, 0.0172868449f, 0.0174906982f, 0.0176981373f, 0.0179092691f, 0.0181242046f, 0.0183430594f, 0.0185659538f, 0.0187930129f, 0.019024367f, 0.019260152f, 0.0195005094f, 0.0197455867f, 0.0199955379f, 0.0202505236f, 0.0205107115f, 0.0207762769f, 0.021047403f, 0.0213242811f, 0.0216071116f, 0.0218961043f, 0.0221914786f, 0.0224934648f, 0.022802304f, 0.0231182494f, 0.0234415666f, 0.0237725345f, 0.0241114463f, 0.0244586104f, 0.0248143511f, 0.0251790101f, 0.0255529472f, 0.0259365418f, 0.0263301945f, 0.0267343279f, 0.0271493888f, 0.0275758496f, 0.0280142103f, 0.0284650005f, 0.0289287816f, 0.0294061494f, 0.0298977364f, 0.030404215f, 0.0309263008f, 0.0314647556f, 0.0320203917f, 0.0325940761f, 0.0331867347f, 0.0337993582f, 0.0344330069f, 0.035088818f, 0.0357680117f, 0.0364718995f, 0.0372018929f, 0.0379595128f, 0.0387464005f, 0.0395643299f, 0.0404152211f, 0.0413011558f, 0.0422243946f, 0.0431873967f, 0.0441928422f, 0.0452436574f, 0.046343044f, 0.0474945117f, 0.048701917f, 0.0499695062f, 0.0513019666f, 0.0527044848f, 0.0541828154f, 0.0557433607f, 0.0573932643f, 0.0591405221f, 0.0609941126f, 0.0629641529f, 0.0650620852f, 0.0673009008f, 0.0696954114f, 0.0722625795f, 0.0750219231f, 0.0779960156f, 0.0812111079f, 0.0846979086f, 0.0884925714f, 0.0926379571f, 0.0971852633f, 0.102196153f, 0.107745571f, 0.113925517f, 0.120850185f, 0.128663072f, 0.137547011f, 0.147738601f, 0.159549494f, 0.173398614f, 0.189862466f, 0.209756511f, 0.234272377f, 0.265220779f, 0.3054873f, 0.359948534f, 0.437464819f, 0.555535701f, 0.749993299f, 0.999000013f, 0.999844113f, 0.999634645f, 0.999371619f, 0.999055063f, 0.99868501f, 0.998261502f, 0.997784582f, 0.997254302f, 0.996670719f, 0.996033895f, 0.995343899f, 0.994600805f, 0.993804693f, 0.992955647f, 0.992053758f, 0.991099125f, 0.990091848f, 0.989032036f, 0.987919802f, 0.986755266f, 0.985538552f, 0.984269792f, 0.98294912f, 0.981576679f, 0.980152616f, 0.978677083f, 0.977150239f, 0.975572247f, 0.973943276f, 0.972263502f, 0.970533104f, 0.968752267f, 0.966921183f, 0.965040048f, 0.963109064f, 0.961128437f, 0.959098381f, 0.957019112f, 0.954890854f, 0.952713834f, 0.950488287f, 0.94821445f, 0.945892568f, 0.943522889f, 0.941105668f, 0.938641164f, 0.93612964f, 0.933571367f, 0.930966618f, 0.928315673f, 0.925618815f, 0.922876335f, 0.920088526f, 0.917255687f, 0.914378121f, 0.911456138f, 0.90849005f, 0.905480176f, 0.902426837f, 0.899330363f, 0.896191083f, 0.893009336f, 0.889785462f, 0.886519807f, 0.88321272f, 0.879864558f, 0.876475677f, 0.873046443f, 0.869577221f, 0.866068385f, 0.862520311f, 0.858933379f, 0.855307973f, 0.851644482f, 0.8479433f, 0.844204822f, 0.840429449f, 0.836617587f, 0.832769644f, 0.828886033f, 0.82496717f, 0.821013474f, 0.817025371f, 0.813003287f, 0.808947654f, 0.804858906f, 0.800737482f, 0.796583825f, 0.792398378f, 0.788181591f, 0.783933916f, 0.779655808f, 0.775347726f, 0.771010132f, 0.766643491f, 0.762248271f, 0.757824944f, 0.753373983f, 0.748895865f, 0.744391072f, 0.739860085f, 0.73530339f, 0.730721477f, 0.726114836f, 0.721483961f, 0.716829349f, 0.712151499f, 0.707450912f, 0.702728092f, 0.697983546f, 0.693217781f, 0.68843131f, 0.683624646f, 0.678798303f, 0.673952798f, 0.669088653f, 0.664206388f, 0.659306526f, 0.654389593f, 0.649456116f, 0.644506623f, 0.639541647f, 0.634561718f, 0.629567371f, 0.624559141f, 0.619537565f, 0.614503182f, 0.609456531f, 0.604398154f, 0.599328592f, 0.594248389f, 0.58915809f, 0.58405824f, 0.578949387f, 0.573832078f, 0.568706862f, 0.563574288f, 0.558434906f, 0.553289267f, 0.548137924f, 0.542981428f, 0.537820332f, 0.53265519f, 0.527486556f, 0.522314982f, 0.517141025f, 0.511965238f, 0.506788177f, 0.501610396f, 0.496432451f, 0.491254897f, 0.486078288f, 0.480903181f, 0.475730129f, 0.470559688f, 0.465392411f, 0.460228853f, 0.455069567f, 0.449915107f, 0.444766025f, 0.439622872f, 0.434486201f, 0.429356563f, 0.424234506f, 0.419120581f, 0.414015335f, 0.408919316f, 0.403833071f, 0.398757144f, 0.393692079f, 0.388638421f, 0.38359671f, 0.378567487f, 0.373551292f, 0.368548661f, 0.363560132f, 0.358586239f, 0.353627516f, 0.348684494f, 0.343757703f, 0.338847672f, 0.333954926f, 0.32907999f, 0.324223388f, 0.319385639f, 0.314567262f, 0.309768774f, 0.30499069f, 0.300233521f, 0.295497777f, 0.290783967f, 0.286092596f, 0.281424167f, 0.276779179f, 0.272158132f, 0.267561521f, 0.262989838f, 0.258443573f, 0.253923215f, 0.249429247f, 0.244962151f, 0.240522407f, 0.23611049f, 0.231726874f, 0.227372028f, 0.223046419f, 0.218750511f, 0.214484764f, 0.210249637f, 0.206045582f, 0.201873051f, 0.197732491f, 0.193624346f, 0.189549057f, 0.185507059f, 0.181498788f, 0.177524671f, 0.173585136f, 0.169680605f, 0.165811496f, 0.161978225f, 0.158181202f, 0.154420834f, 0.150697524f, 0.147011672f, 0.143363673f, 0.139753917f, 0.136182793f, 0.132650682f, 0.129157964f, 0.125705012f, 0.122292198f, 0.118919887f, 0.11558844f, 0.112298215f, 0.109049565f, 0.105842837f, 0.102678376f, 0.0995565203f, 0.0964776054f, 0.0934419611f, 0.0904499129f, 0.0875017816f, 0.0845978831f, 0.081738529f, 0.0789240257f, 0.0761546749f, 0.0734307736f, 0.0707526138f, 0.0681204826f, 0.0655346623f, 0.06299543f, 0.060503058f, 0.0580578136f, 0.0556599588f, 0.0533097507f, 0.0510074413f, 0.0487532775f, 0.046547501f, 0.0443903481f, 0.0422820502f, 0.0402228333f, 0.0382129181f, 0.0362525203f, 0.0343418499f, 0.0324811118f, 0.0306705055f, 0.028910225f, 0.0272004592f, 0.0255413914f, 0.0239331993f, 0.0223760554f, 0.0208701267f, 0.0194155747f, 0.0180125552f, 0.0166612186f, 0.01536171f, 0.0141141685f, 0.0129187279f, 0.0117755165f, 0.0106846567f, 0.00964626551f, 0.00866045429f, 0.00772732869f, 0.00684698878f, 0.00601952892f, 0.00524503783f, 0.00452359856f, 0.00385528843f, 0.00324017911f, 0.00267833654f, 0.00216982096f, 0.00171468689f, 0.00131298312f, 0.000964752711f, 0.00067003301f, 0.000428855611f, 0.000241246369f, 0.000107225398f, 2.6807068e-05f, 2.68067229e-08f, 0.999922053f, 0.999817306f, 0.99968576f, 0.99952742f, 0.999342289f, 0.999130373f, 0.998891677f, 0.998626207f, 0.998333972f, 0.998014977f, 0.997669233f, 0.997296749f, 0.996897534f, 0.996471598f, 0.996018955f, 0.995539615f, 0.995033591f, 0.994500898f, 0.993941549f, 0.993355559f, 0.992742944f, 0.99210372f, 0.991437905f, 0.990745517f, 0.990026573f, 0.989281094f, 0.988509099f, 0.987710609f, 0.986885645f, 0.986034229f, 0.985156385f, 0.984252136f, 0.983321505f, 0.982364519f, 0.981381202f, 0.980371581f, 0.979335683f, 0.978273536f, 0.977185169f, 0.976070609f, 0.974929888f, 0.973763036f, 0.972570084f, 0.971351064f, 0.970106009f, 0.968834952f, 0.967537927f, 0.966214969f, 0.964866114f, 0.963491397f, 0.962090856f, 0.960664528f, 0.959212451f, 0.957734664f, 0.956231207f, 0.95470212f, 0.953147444f, 0.951567221f, 0.949961493f, 0.948330302f, 0.946673694f, 0.944991712f, 0.943284401f, 0.941551808f, 0.939793978f, 0.938010958f, 0.936202797f, 0.934369543f, 0.932511245f, 0.930627952f, 0.928719716f, 0.926786588f, 0.924828618f, 0.922845861f, 0.920838368f, 0.918806194f, 0.916749393f, 0.91466802f, 0.912562132f, 0.910431784f, 0.908277033f, 0.906097939f, 0.903894557f, 0.901666949f, 0.899415173f, 0.89713929f, 0.894839361f, 0.892515448f, 0.890167612f, 0.887795917f, 0.885400427f, 0.882981205f, 0.880538316f, 0.878071826f, 0.875581802f, 0.873068309f, 0.870531415f, 0.867971188f, 0.865387696f, 0.86278101f, 0.860151199f, 0.857498333f, 0.854822483f, 0.852123721f, 0.84940212f, 0.846657752f, 0.843890691f, 0.841101012f, 0.838288788f, 0.835454095f, 0.83259701f, 0.829717609f, 0.826815968f, 0.823892167f, 0.820946282f, 0.817978394f, 0.814988581f, 0.811976924f, 0.808943504f, 0.805888401f, 0.802811699f, 0.799713478f, 0.796593822f, 0.793452816f, 0.790290542f, 0.787107086f, 0.783902534f, 0.78067697f, 0.777430482f, 0.774163156f, 0.77087508f, 0.767566342f, 0.764237032f, 0.760887237f, 0.757517048f, 0.754126556f, 0.75071585f, 0.747285023f, 0.743834167f, 0.740363373f, 0.736872735f, 0.733362347f, 0.729832303f, 0.726282697f, 0.722713624f, 0.71912518f, 0.715517462f, 0.711890565f, 0.708244588f, 0.704579627f, 0.700895782f, 0.69719315f, 0.693471831f, 0.689731926f, 0.685973533f, 0.682196754f, 0.67840169f, 0.674588443f, 0.670757115f, 0.666907808f, 0.663040626f, 0.659155673f, 0.655253052f, 0.651332869f, 0.647395228f, 0.643440234f, 0.639467995f, 0.635478616f, 0.631472203f, 0.627448866f, 0.623408711f, 0.619351847f, 0.615278382f, 0.611188426f, 0.607082088f, 0.602959478f, 0.598820707f, 0.594665886f, 0.590495126f, 0.586308539f, 0.582106238f, 0.577888333f, 0.57365494f, 0.569406171f, 0.56514214f, 0.560862962f, 0.556568751f, 0.552259622f, 0.54793569f, 0.543597073f, 0.539243885f, 0.534876244f, 0.530494266f, 0.52609807f, 0.521687773f, 0.517263492f, 0.512825348f, 0.508373458f, 0.503907943f, 0.49942892f, 0.494936512f, 0.490430838f, 0.485912019f, 0.481380176f, 0.47683543f, 0.472277904f, 0.467707719f, 0.463124999f, 0.458529865f, 0.453922441f, 0.44930285f, 0.444671217f, 0.440027666f, 0.43537232f, 0.430705305f, 0.426026745f, 0.421336767f, 0.416635496f, 0.411923057f, 0.407199578f, 0.402465185f, 0.397720004f, 0.392964163f, 0.38819779f, 0.383421011f, 0.378633956f, 0.373836752f, 0.369029528f, 0.364212413f, 0.359385536f, 0.354549027f, 0.349703014f, 0.344847629f, 0.339983f, 0.335109259f, 0.330226535f, 0.325334961f, 0.320434667f, 0.315525784f, 0.310608444f, 0.305682779f, 0.30074892f, 0.295807001f, 0.290857152f, 0.285899509f, 0.280934202f, 0.275961365f, 0.270981131f, 0.265993635f, 0.260999009f, 0.255997387f, 0.250988904f, 0.245973694f, 0.240951891f, 0.235923629f, 0.230889044f, 0.225848271f, 0.220801444f, 0.215748699f, 0.210690171f, 0.205625996f, 0.200556309f, 0.195481248f, 0.190400946f, 0.185315541f, 0.18022517f, 0.175129967f, 0.170030071f, 0.164925617f, 0.159816743f, 0.154703585f, 0.149586281f, 0.144464967f, 0.139339781f, 0.134210861f, 0.129078343f, 0.123942366f, 0.118803066f, 0.113660582f, 0.108515052f, 0.103366613f, 0.0982154037f, 0.0930615618f, 0.0879052256f, 0.0827465333f, 0.0775856231f, 0.0724226334f, 0.0672577026f, 0.062090969f, 0.0569225712f, 0.0517526477f, 0.0465813371f, 0.0414087779f, 0.0362351089f, 0.0310604686f, 0.0258849959f, 0.0207088293f, 0.0155321077f, 0.0103549697f, 0.00517755425f, 0.000163727588f, 0.0124854737f, 0.0191142581f, 0.0250675283f, 0.0307398307f, 0.0362627849f, 0.0416953047f, 0.0470682312f, 0.0523994112f, 0.0576999246f, 0.0629770184f, 0.0682356259f, 0.0734792129f, 0.0787102753f, 0.0839306463f, 0.0891416939f, 0.0943444505f, 0.099539702f, 0.10472805f, 0.109909955f, 0.115085769f, 0.12025576f, 0.125420127f, 0.130579018f, 0.135732534f, 0.140880744f, 0.146023687f, 0.151161375f, 0.156293804f, 0.161420952f, 0.166542782f, 0.171659245f, 0.176770283f, 0.181875828f, 0.186975805f, 0.192070133f, 0.197158724f, 0.202241487f, 0.207318325f, 0.212389139f, 0.217453825f, 0.222512277f, 0.227564387f, 0.232610043f, 0.237649134f, 0.242681544f, 0.247707159f, 0.252725859f, 0.257737528f, 0.262742045f, 0.26773929f, 0.272729142f, 0.277711478f, 0.282686176f, 0.287653113f, 0.292612165f, 0.297563207f, 0.302506116f, 0.307440766f, 0.312367032f, 0.317284789f, 0.322193912f, 0.327094274f, 0.33198575f, 0.336868213f, 0.341741539f, 0.346605601f, 0.351460272f, 0.356305427f, 0.36114094f, 0.365966685f, 0.370782536f, 0.375588367f, 0.380384052f, 0.385169466f, 0.389944484f, 0.394708979f, 0.399462828f, 0.404205904f, 0.408938083f, 0.41365924f, 0.418369251f, 0.423067992f, 0.427755338f, 0.432431166f, 0.437095352f, 0.441747772f, 0.446388304f, 0.451016824f, 0.45563321f, 0.46023734f, 0.464829091f, 0.469408343f, 0.473974972f, 0.478528858f, 0.48306988f, 0.487597917f, 0.492112849f, 0.496614556f, 0.501102918f, 0.505577816f, 0.510039131f, 0.514486744f, 0.518920536f, 0.52334039f, 0.527746188f, 0.532137812f, 0.536515145f, 0.540878071f, 0.545226474f, 0.549560237f, 0.553879245f, 0.558183383f, 0.562472537f, 0.56674659f, 0.57100543f, 0.575248943f, 0.579477016f, 0.583689536f, 0.58788639f, 0.592067466f, 0.596232653f, 0.60038184f, 0.604514915f, 0.608631768f, 0.61273229f, 0.61681637f, 0.6208839f, 0.624934772f, 0.628968876f, 0.632986104f, 0.636986351f, 0.640969508f, 0.644935469f, 0.648884129f, 0.652815381f, 0.656729121f, 0.660625244f, 0.664503645f, 0.668364222f, 0.67220687f, 0.676031487f, 0.679837972f, 0.683626221f, 0.687396134f, 0.691147609f, 0.694880547f, 0.698594848f, 0.702290412f, 0.705967141f, 0.709624936f, 0.713263698f, 0.716883332f, 0.72048374f, 0.724064825f, 0.727626492f, 0.731168646f, 0.734691192f, 0.738194035f, 0.741677081f, 0.745140239f, 0.748583414f, 0.752006515f, 0.75540945f, 0.758792128f, 0.762154459f, 0.765496352f, 0.768817718f, 0.772118468f, 0.775398514f, 0.778657769f, 0.781896143f, 0.785113552f, 0.788309909f, 0.791485128f, 0.794639125f, 0.797771814f, 0.800883113f, 0.803972937f, 0.807041204f, 0.810087833f, 0.81311274f, 0.816115846f, 0.81909707f, 0.822056332f, 0.824993552f, 0.827908653f, 0.830801556f, 0.833672184f, 0.83652046f, 0.839346307f, 0.84214965f, 0.844930414f, 0.847688524f, 0.850423906f, 0.853136488f, 0.855826197f, 0.85849296f, 0.861136706f, 0.863757365f, 0.866354866f, 0.868929139f, 0.871480116f, 0.874007729f, 0.876511909f, 0.878992589f, 0.881449704f, 0.883883188f, 0.886292974f, 0.888678999f, 0.891041199f, 0.89337951f, 0.89569387f, 0.897984217f, 0.900250489f, 0.902492626f, 0.904710568f, 0.906904256f, 0.909073629f, 0.911218632f, 0.913339205f, 0.915435293f, 0.917506838f, 0.919553787f, 0.921576083f, 0.923573672f, 0.925546502f, 0.927494519f, 0.929417671f, 0.931315907f, 0.933189175f, 0.935037426f, 0.93686061f, 0.938658678f, 0.940431582f, 0.942179274f, 0.943901709f, 0.945598838f, 0.947270618f, 0.948917004f, 0.95053795f, 0.952133414f, 0.953703354f, 0.955247726f, 0.95676649f, 0.958259605f, 0.959727031f, 0.961168729f, 0.962584659f, 0.963974785f, 0.965339069f, 0.966677473f, 0.967989964f, 0.969276504f, 0.970537061f, 0.971771599f, 0.972980087f, 0.974162491f, 0.97531878f, 0.976448923f, 0.97755289f, 0.97863065f, 0.979682176f, 0.980707439f, 0.981706412f, 0.982679068f, 0.98362538f, 0.984545324f, 0.985438874f, 0.986306008f, 0.987146701f, 0.987960931f, 0.988748676f, 0.989509916f, 0.990244629f, 0.990952796f, 0.991634399f, 0.992289418f, 0.992917837f, 0.993519638f, 0.994094806f, 0.994643325f, 0.995165179f, 0.995660357f, 0.996128843f, 0.996570625f, 0.996985693f, 0.997374033f, 0.997735637f, 0.998070494f, 0.998378596f, 0.998659934f, 0.9989145f, 0.999142289f, 0.999343293f, 0.999517507f, 0.999664927f, 0.999785549f, 0.99987937f, 0.999946386f, 0.999986596f, 0.999999987f, 0f, 8.93881919e-05f, 0.000152985205f, 0.00021064149f, 0.000266167122f, 0.000320761312f, 0.000374903693f, 0.000428816339f, 0.000482613028f, 0.000536356702f, 0.000590084438f, 0.000643819332f, 0.000697576553f, 0.0007513666f, 0.000805197141f, 0.000859074089f, 0.00091300224f, 0.000966985684f, 0.00102102805f, 0.00107513267f, 0.00112930269f, 0.00118354113f, 0.00123785095f, 0.00129223507f, 0.00134669639f, 0.00140123781f, 0.00145586223f, 0.00151057258f, 0.0015653718f, 0.00162026287f, 0.00167524878f, 0.00173033255f, 0.00178551724f, 0.00184080594f, 0.00189620176f, 0.00195170785f, 0.0020073274f, 0.00206306361f, 0.00211891975f, 0.00217489908f, 0.00223100493f, 0.00228724064f, 0.00234360961f, 0.00240011525f, 0.00245676102f, 0.00251355042f, 0.00257048698f, 0.00262757426f, 0.00268481589f, 0.00274221549f, 0.00279977677f, 0.00285750346f, 0.00291539932f, 0.00297346816f, 0.00303171386f, 0.00309014031f, 0.00314875146f, 0.0032075513f, 0.00326654388f, 0.0033257333f, 0.00338512369f, 0.00344471925f, 0.00350452422f, 0.00356454291f, 0.00362477967f, 0.0036852389f, 0.00374592509f, 0.00380684276f, 0.0038679965f, 0.00392939095f, 0.00399103083f, 0.00405292093f, 0.00411506608f, 0.0041774712f, 0.00424014127f, 0.00430308134f, 0.00436629656f, 0.00442979211f, 0.00449357328f, 0.00455764543f, 0.004622014f, 0.0046866845f, 0.00475166256f, 0.00481695386f, 0.00488256418f, 0.00494849941f, 0.00501476551f, 0.00508136854f, 0.00514831467f, 0.00521561017f, 0.0052832614f, 0.00535127483f, 0.00541965704f, 0.00548841474f, 0.00555755473f, 0.00562708393f, 0.0056970094f, 0.00576733829f, 0.00583807792f, 0.0059092357f, 0.00598081919f, 0.00605283609f, 0.00612529424f, 0.00619820161f, 0.00627156635f, 0.00634539671f, 0.00641970115f, 0.00649448827f, 0.00656976681f, 0.0066455457f, 0.00672183406f, 0.00679864116f, 0.00687597647f, 0.00695384963f, 0.00703227048f, 0.00711124908f, 0.00719079566f, 0.00727092068f, 0.00735163481f, 0.00743294894f, 0.00751487419f, 0.00759742191f, 0.00768060369f, 0.00776443137f, 0.00784891705f, 0.00793407309f, 0.0080199121f, 0.00810644699f, 0.00819369095f, 0.00828165746f, 0.0083703603f, 0.00845981358f, 0.00855003169f, 0.0086410294f, 0.00873282179f, 0.00882542429f, 0.00891885271f, 0.00901312321f, 0.00910825235f, 0.00920425708f, 0.00930115475f, 0.00939896316f, 0.00949770051f, 0.00959738547f, 0.00969803716f, 0.00979967518f, 0.00990231962f, 0.0100059911f, 0.0101107108f, 0.0102165002f, 0.0103233818f, 0.0104313782f, 0.0105405129f, 0.01065081f, 0.0107622941f, 0.0108749905f, 0.0109889252f, 0.0111041251f, 0.0112206175f, 0.0113384306f, 0.0114575936f, 0.0115781361f, 0.011700089f, 0.0118234837f, 0.0119483526f, 0.0120747292f, 0.0122026479f, 0.012332144f, 0.0124632539f, 0.0125960152f, 0.0127304664f, 0.0128666475f, 0.0130045995f, 0.0131443646f, 0.0132859865f, 0.0134295102f, 0.0135749821f, 0.01372245f, 0.0138719635f, 0.0140235735f, 0.0141773328f, 0.0143332958f, 0.0144915187f, 0.0146520598f, 0.014814979f, 0.0149803387f, 0.015148203f, 0.0153186386f, 0.0154917143f, 0.0156675014f, 0.0158460738f, 0.016027508f, 0.0162118833f, 0.016399282f, 0.0165897893f, 0.0167834936f, 0.0169804869f, 0.0171808643f, 0.0173847249f, 0.0175921715f, 0.0178033109f, 0.0180182543f, 0.0182371173f, 0.0184600201f, 0.0186870878f, 0.0189184508f, 0.019154245f, 0.0193946117f, 0.0196396987f, 0.0198896598f, 0.0201446558f, 0.0204048543f, 0.0206704305f, 0.0209415677f, 0.0212184573f, 0.0215012997f, 0.0217903045f, 0.0220856914f, 0.0223876905f, 0.0226965431f, 0.0230125021f, 0.0233358334f, 0.0236668158f, 0.0240057426f, 0.0243529222f, 0.0247086788f, 0.0250733542f, 0.0254473082f, 0.0258309203f, 0.026224591f, 0.026628743f, 0.0270438231f, 0.0274703038f, 0.0279086849f, 0.0283594963f, 0.0288232993f, 0.0293006897f, 0.0297923001f, 0.030298803f, 0.0308209138f, 0.0313593946f, 0.0319150577f, 0.03248877f, 0.0330814576f, 0.0336941111f, 0.0343277911f, 0.0349836345f, 0.0356628619f, 0.0363667848f, 0.0370968147f, 0.0378544725f, 0.0386413998f, 0.0394593705f, 0.0403103048f, 0.0411962845f, 0.0421195704f, 0.0430826217f, 0.0440881187f, 0.0451389879f, 0.0462384311f, 0.0473899584f, 0.0485974263f, 0.0498650814f, 0.0511976112f, 0.0526002026f, 0.0540786107f, 0.0556392379f, 0.0572892284f, 0.0590365784f, 0.0608902668f, 0.0628604115f, 0.0649584553f, 0.0671973902f, 0.0695920286f, 0.072159334f, 0.0749188255f, 0.0778930778f, 0.0811083432f, 0.0845953321f, 0.0883902002f, 0.0925358106f, 0.097083364f, 0.102094527f, 0.107644248f, 0.113824532f, 0.12074958f, 0.128562899f, 0.137447328f, 0.147639484f, 0.159451035f, 0.17330093f, 0.189765708f, 0.20966088f, 0.234178145f, 0.265128331f, 0.305397206f, 0.359861685f, 0.437382727f, 0.555461239f, 0.749932984f, 0.998973259f, 0f, 0.00945453288f, 0.0123687188f, 0.0145134934f, 0.0163146291f, 0.0179098105f, 0.0193624299f, 0.0207078811f, 0.0219684553f, 0.0231593761f, 0.0242916537f, 0.0253735952f, 0.0264116746f, 0.0274110671f, 0.0283759959f, 0.0293099657f, 0.0302159269f, 0.0310963934f, 0.0319535295f, 0.0327892157f, 0.0336050991f, 0.0344026326f, 0.0351831061f, 0.0359476713f, 0.0366973622f, 0.0374331111f, 0.0381557627f, 0.0388660852f, 0.0395647799f, 0.040252489f, 0.0409298031f, 0.0415972661f, 0.0422553812f, 0.0429046144f, 0.0435453988f, 0.0441781377f, 0.0448032074f, 0.0454209601f, 0.0460317254f, 0.0466358133f, 0.0472335149f, 0.0478251047f, 0.0484108419f, 0.0489909711f, 0.0495657243f, 0.0501353211f, 0.0506999702f, 0.0512598699f, 0.051815209f, 0.0523661674f, 0.0529129169f, 0.0534556214f, 0.0539944378f, 0.0545295164f, 0.0550610013f, 0.0555890305f, 0.0561137368f, 0.0566352479f, 0.0571536865f, 0.0576691711f, 0.0581818158f, 0.0586917306f, 0.0591990221f, 0.0597037931f, 0.0602061431f, 0.0607061686f, 0.0612039631f, 0.0616996172f, 0.0621932191f, 0.0626848542f, 0.0631746059f, 0.0636625552f, 0.0641487808f, 0.0646333598f, 0.0651163671f, 0.0655978761f, 0.0660779582f, 0.0665566834f, 0.0670341203f, 0.0675103357f, 0.0679853955f, 0.0684593639f, 0.0689323042f, 0.0694042784f, 0.0698753475f, 0.0703455714f, 0.0708150091f, 0.0712837186f, 0.0717517573f, 0.0722191815f, 0.0726860468f, 0.0731524082f, 0.07361832f, 0.0740838359f, 0.0745490089f, 0.0750138916f, 0.075478536f, 0.0759429937f, 0.0764073159f, 0.0768715532f, 0.0773357562f, 0.0777999749f, 0.078264259f, 0.0787286581f, 0.0791932216f, 0.0796579984f, 0.0801230376f, 0.0805883879f, 0.081054098f, 0.0815202165f, 0.081986792f, 0.0824538729f, 0.0829215079f, 0.0833897453f, 0.0838586339f, 0.0843282223f, 0.0847985593f, 0.0852696938f, 0.0857416749f, 0.0862145518f, 0.086688374f, 0.0871631913f, 0.0876390535f, 0.0881160109f, 0.0885941141f, 0.089073414f, 0.0895539619f, 0.0900358095f, 0.0905190088f, 0.0910036123f, 0.0914896732f, 0.0919772449f, 0.0924663814f, 0.0929571375f, 0.0934495682f, 0.0939437294f, 0.0944396776f, 0.09493747f, 0.0954371644f, 0.0959388194f, 0.0964424945f, 0.0969482499f, 0.0974561466f, 0.0979662466f, 0.0984786127f, 0.0989933087f, 0.0995103996f, 0.100029951f, 0.10055203f, 0.101076705f, 0.101604044f, 0.102134119f, 0.102667f, 0.103202762f, 0.103741477f, 0.104283222f, 0.104828075f, 0.105376112f, 0.105927416f, 0.106482067f, 0.107040149f, 0.107601748f, 0.10816695f, 0.108735844f, 0.10930852f, 0.109885073f, 0.110465596f, 0.111050187f, 0.111638944f, 0.11223197f, 0.112829369f, 0.113431246f, 0.114037711f, 0.114648875f, 0.115264854f, 0.115885764f, 0.116511725f, 0.117142862f, 0.1177793f, 0.11842117f, 0.119068605f, 0.119721743f, 0.120380724f, 0.121045693f, 0.121716798f, 0.122394194f, 0.123078036f, 0.123768488f, 0.124465715f, 0.12516989f, 0.125881189f, 0.126599795f, 0.127325894f, 0.128059681f, 0.128801356f, 0.129551124f, 0.130309197f, 0.131075796f, 0.131851147f, 0.132635483f, 0.133429048f, 0.134232091f, 0.135044871f, 0.135867656f, 0.136700723f, 0.137544359f, 0.138398862f, 0.139264539f, 0.140141709f, 0.141030705f, 0.14193187f, 0.142845561f, 0.143772148f, 0.144712017f, 0.145665567f, 0.146633215f, 0.147615394f, 0.148612555f, 0.149625167f, 0.150653719f, 0.151698722f, 0.152760706f, 0.153840228f, 0.154937867f, 0.156054228f, 0.157189945f, 0.158345679f, 0.159522124f, 0.160720006f, 0.161940085f, 0.163183158f, 0.164450063f, 0.165741678f, 0.167058927f, 0.16840278f, 0.16977426f, 0.171174442f, 0.172604461f, 0.174065513f, 0.175558861f, 0.17708584f, 0.17864786f, 0.180246415f, 0.181883088f, 0.183559557f, 0.185277605f, 0.187039126f, 0.188846133f, 0.190700773f, 0.192605334f, 0.194562259f, 0.196574159f, 0.198643828f, 0.200774263f, 0.202968679f, 0.20523053f, 0.207563536f, 0.209971709f, 0.212459379f, 0.215031233f, 0.217692348f, 0.220448239f, 0.223304907f, 0.226268891f, 0.229347341f, 0.232548082f, 0.235879711f, 0.239351684f, 0.24297444f, 0.246759532f, 0.250719787f, 0.254869487f, 0.259224594f, 0.263803011f, 0.268624895f, 0.273713035f, 0.279093314f, 0.284795265f, 0.290852767f, 0.297304894f, 0.304196993f, 0.311582034f, 0.319522342f, 0.328091829f, 0.337378915f, 0.347490403f, 0.358556688f, 0.370738895f, 0.384238837f, 0.399313204f, 0.416294283f, 0.43562106f, 0.457887409f, 0.483919565f, 0.514906138f, 0.552627547f, 0.599884727f, 0.661349172f, 0.745292721f, 0.865986711f, 0.999486498f, 1f, 0.573371702f, 0.418653945f, 0.335107691f, 0.281543937f, 0.243766453f, 0.215460456f, 0.193345453f, 0.175529124f, 0.160834447f, 0.14848652f, 0.137952074f, 0.12885085f, 0.120903687f, 0.113900601f, 0.10768035f, 0.102116911f, 0.0971102595f, 0.092579924f, 0.0884603893f, 0.0846977437f, 0.0812471979f, 0.0780712189f, 0.0751381069f, 0.0724208965f, 0.069896499f, 0.0675450258f, 0.0653492489f, 0.0632941686f, 0.0613666621f, 0.0595551977f, 0.0578495995f, 0.056240853f, 0.0547209435f, 0.0532827202f, 0.0519197832f, 0.0506263861f, 0.0493973553f, 0.0482280197f, 0.0471141508f, 0.0460519117f, 0.0450378125f, 0.0440686718f, 0.0431415832f, 0.0422538865f, 0.0414031416f, 0.0405871065f, 0.0398037173f, 0.0390510713f, 0.0383274109f, 0.0376311103f, 0.0369606636f, 0.0363146734f, 0.0356918417f, 0.0350909608f, 0.0345109058f, 0.0339506276f, 0.0334091464f, 0.0328855465f, 0.0323789706f, 0.0318886156f, 0.0314137282f, 0.0309536012f, 0.0305075699f, 0.0300750091f, 0.0296553301f, 0.0292479781f, 0.0288524297f, 0.028468191f, 0.0280947951f, 0.0277318008f, 0.0273787903f, 0.0270353682f, 0.0267011597f, 0.0263758091f, 0.0260589793f, 0.0257503497f, 0.0254496159f, 0.0251564885f, 0.0248706918f, 0.0245919636f, 0.0243200541f, 0.024054725f, 0.0237957491f, 0.0235429098f, 0.023296f, 0.0230548219f, 0.0228191866f, 0.0225889134f, 0.0223638293f, 0.0221437689f, 0.0219285735f, 0.0217180914f, 0.021512177f, 0.0213106907f, 0.0211134985f, 0.0209204719f, 0.0207314876f, 0.0205464269f, 0.0203651759f, 0.0201876251f, 0.0200136692f, 0.0198432069f, 0.0196761407f, 0.0195123766f, 0.0193518242f, 0.0191943965f, 0.0190400095f, 0.0188885822f, 0.0187400367f, 0.0185942975f, 0.018451292f, 0.0183109502f, 0.0181732042f, 0.0180379886f, 0.0179052403f, 0.0177748981f, 0.0176469031f, 0.017521198f, 0.0173977277f, 0.0172764387f, 0.0171572794f, 0.0170401996f, 0.0169251509f, 0.0168120863f, 0.0167009604f, 0.0165917291f, 0.0164843496f, 0.0163787807f, 0.016274982f, 0.0161729148f, 0.0160725411f, 0.0159738245f, 0.0158767292f, 0.0157812207f, 0.0156872656f, 0.0155948312f, 0.0155038859f, 0.015414399f, 0.0153263407f, 0.0152396819f, 0.0151543944f, 0.0150704508f, 0.0149878244f, 0.0149064892f, 0.0148264201f, 0.0147475925f, 0.0146699824f, 0.0145935666f, 0.0145183225f, 0.014444228f, 0.0143712616f, 0.0142994025f, 0.0142286303f, 0.0141589251f, 0.0140902675f, 0.0140226388f, 0.0139560205f, 0.0138903948f, 0.0138257442f, 0.0137620516f, 0.0136993004f, 0.0136374745f, 0.0135765581f, 0.0135165356f, 0.0134573921f, 0.0133991128f, 0.0133416835f, 0.01328509f, 0.0132293188f, 0.0131743566f, 0.0131201901f, 0.0130668068f, 0.0130141942f, 0.01296234f, 0.0129112326f, 0.0128608601f, 0.0128112113f, 0.0127622751f, 0.0127140406f, 0.0126664973f, 0.0126196347f, 0.0125734427f, 0.0125279114f, 0.0124830311f, 0.0124387923f, 0.0123951856f, 0.012352202f, 0.0123098326f, 0.0122680686f, 0.0122269015f, 0.012186323f, 0.0121463249f, 0.012106899f, 0.0120680377f, 0.0120297331f, 0.0119919777f, 0.0119547642f, 0.0119180852f, 0.0118819337f, 0.0118463027f, 0.0118111853f, 0.0117765749f, 0.0117424647f, 0.0117088485f, 0.0116757197f, 0.0116430722f, 0.0116108999f, 0.0115791967f, 0.0115479568f, 0.0115171742f, 0.0114868433f, 0.0114569584f, 0.0114275141f, 0.0113985048f, 0.0113699252f, 0.01134177f, 0.011314034f, 0.011286712f, 0.0112597989f, 0.0112332897f, 0.0112071795f, 0.0111814634f, 0.0111561365f, 0.0111311939f, 0.011106631f, 0.011082443f, 0.0110586252f, 0.011035173f, 0.0110120817f, 0.0109893468f, 0.0109669635f, 0.0109449272f, 0.0109232335f, 0.0109018777f, 0.0108808551f, 0.0108601611f, 0.010839791f, 0.0108197402f, 0.0108000038f, 0.010780577f, 0.010761455f, 0.0107426327f, 0.010724105f, 0.0107058669f, 0.0106879129f, 0.0106702375f, 0.0106528353f, 0.0106357002f, 0.0106188263f, 0.0106022073f, 0.0105858366f, 0.0105697074f, 0.0105538125f, 0.0105381443f, 0.0105226946f, 0.0105074551f, 0.0104924167f, 0.0104775696f, 0.0104629033f, 0.0104484069f, 0.010434068f, 0.0104198735f, 0.0104058092f, 0.0103918594f, 0.010378007f, 0.0103642329f, 0.0103505163f, 0.0103368338f, 0.0103231595f, 0.0103094643f, 0.0102957153f, 0.0102818755f, 0.0102679026f, 0.0102537482f, 0.010239357f, 0.0102246648f, 0.0102095968f, 0.0101940656f, 0.010177968f, 0.0101611814f, 0.010143559f, 0.0101249229f, 0.0101050562f, 0.0100836912f, 0.0100604933f, 0.0100350388f, 0.0100067834f, 0.00997501547f, 0.00993878615f, 0.00989680194f, 0.00984725209f, 0.00978752128f, 0.00971368674f, 0.00961958431f, 0.00949494061f, 0.00932126379f, 0.00906157033f, 0.00862956562f, 0.0077663661f, 0.0051723769f, 0f, 0.426628294f, 0.581346043f, 0.664892284f, 0.718456019f, 0.756233477f, 0.78453944f, 0.8066544f, 0.824470674f, 0.839165287f, 0.851513136f, 0.862047491f, 0.871148608f, 0.879095649f, 0.886098596f, 0.89231869f, 0.897881952f, 0.902888407f, 0.907418525f, 0.911537819f, 0.9153002f, 0.918750456f, 0.92192612f, 0.924858889f, 0.927575729f, 0.930099726f, 0.932450768f, 0.934646081f, 0.936700665f, 0.938627641f, 0.940438539f, 0.942143534f, 0.943751639f, 0.945270868f, 0.946708371f, 0.948070545f, 0.949363136f, 0.950591316f, 0.951759755f, 0.952872681f, 0.953933928f, 0.954946985f, 0.955915033f, 0.956840977f, 0.957727474f, 0.958576964f, 0.959391688f, 0.960173708f, 0.960924925f, 0.961647095f, 0.962341842f, 0.963010672f, 0.963654979f, 0.964276061f, 0.964875123f, 0.965453288f, 0.966011605f, 0.966551051f, 0.967072541f, 0.967576929f, 0.968065018f, 0.968537559f, 0.968995257f, 0.969438775f, 0.969868738f, 0.97028573f, 0.970690307f, 0.971082988f, 0.971464266f, 0.971834606f, 0.972194448f, 0.972544206f, 0.972884275f, 0.973215026f, 0.973536815f, 0.973849975f, 0.974154825f, 0.974451667f, 0.974740788f, 0.975022463f, 0.97529695f, 0.975564497f, 0.97582534f, 0.976079703f, 0.976327802f, 0.97656984f, 0.976806013f, 0.977036506f, 0.977261498f, 0.97748116f, 0.977695653f, 0.977905134f, 0.978109751f, 0.978309648f, 0.97850496f, 0.978695819f, 0.97888235f, 0.979064673f, 0.979242904f, 0.979417153f, 0.979587526f, 0.979754126f, 0.97991705f, 0.980076392f, 0.980232242f, 0.980384687f, 0.980533811f, 0.980679693f, 0.98082241f, 0.980962037f, 0.981098644f, 0.981232301f, 0.981363072f, 0.981491021f, 0.98161621f, 0.981738696f, 0.981858537f, 0.981975786f, 0.982090495f, 0.982202716f, 0.982312495f, 0.98241988f, 0.982524916f, 0.982627645f, 0.982728108f, 0.982826346f, 0.982922397f, 0.983016297f, 0.983108081f, 0.983197784f, 0.983285438f, 0.983371074f, 0.983454723f, 0.983536411f, 0.983616168f, 0.983694019f, 0.98376999f, 0.983844104f, 0.983916385f, 0.983986854f, 0.984055531f, 0.984122438f, 0.984187592f, 0.984251011f, 0.984312712f, 0.984372712f, 0.984431024f, 0.984487664f, 0.984542643f, 0.984595975f, 0.984647671f, 0.984697741f, 0.984746195f, 0.984793042f, 0.984838289f, 0.984881944f, 0.984924013f, 0.984964502f, 0.985003414f, 0.985040755f, 0.985076526f, 0.985110729f, 0.985143367f, 0.98517444f, 0.985203947f, 0.985231886f, 0.985258256f, 0.985283054f, 0.985306276f, 0.985327918f, 0.985347973f, 0.985366434f, 0.985383296f, 0.985398549f, 0.985412183f, 0.98542419f, 0.985434556f, 0.985443271f, 0.98545032f, 0.985455689f, 0.985459363f, 0.985461325f, 0.985461557f, 0.985460041f, 0.985456756f, 0.98545168f, 0.985444791f, 0.985436065f, 0.985425477f, 0.985412999f, 0.985398603f, 0.98538226f, 0.985363937f, 0.985343602f, 0.98532122f, 0.985296753f, 0.985270164f, 0.985241412f, 0.985210454f, 0.985177247f, 0.985141742f, 0.985103891f, 0.985063642f, 0.985020942f, 0.984975733f, 0.984927956f, 0.984877548f, 0.984824444f, 0.984768576f, 0.984709871f, 0.984648253f, 0.984583643f, 0.984515958f, 0.984445111f, 0.984371008f, 0.984293554f, 0.984212648f, 0.984128182f, 0.984040045f, 0.983948118f, 0.983852277f, 0.983752392f, 0.983648324f, 0.98353993f, 0.983427055f, 0.983309538f, 0.983187209f, 0.983059888f, 0.982927386f, 0.9827895f, 0.982646019f, 0.982496717f, 0.982341356f, 0.982179683f, 0.98201143f, 0.981836312f, 0.981654026f, 0.98146425f, 0.981266643f, 0.981060838f, 0.980846446f, 0.980623051f, 0.98039021f, 0.980147447f, 0.979894254f, 0.979630084f, 0.979354354f, 0.979066432f, 0.978765644f, 0.978451258f, 0.978122489f, 0.977778486f, 0.977418329f, 0.977041021f, 0.976645481f, 0.976230532f, 0.975794893f, 0.975337164f, 0.974855818f, 0.974349181f, 0.973815412f, 0.973252492f, 0.972658187f, 0.972030035f, 0.971365301f, 0.97066095f, 0.969913598f, 0.969119463f, 0.968274303f, 0.967373348f, 0.966411208f, 0.965381779f, 0.964278109f, 0.963092258f, 0.961815105f, 0.960436127f, 0.958943116f, 0.957321832f, 0.955555553f, 0.953624519f, 0.951505206f, 0.949169383f, 0.946582876f, 0.943703915f, 0.940480904f, 0.936849343f, 0.932727535f, 0.928010437f, 0.922560688f, 0.916195136f, 0.908664027f, 0.899617706f, 0.888551115f, 0.874706663f, 0.856893851f, 0.833128509f, 0.799839133f, 0.749882708f, 0.666592199f, 0.49996649f, 0.0316217262f, 1.00007795f, 1.00018273f, 1.00031434f, 1.0004728f, 1.00065814f, 1.00087038f, 1.00110955f, 1.00137568f, 1.00166881f, 1.00198897f, 1.00233621f, 1.00271058f, 1.00311212f, 1.0035409f, 1.00399696f, 1.00448037f, 1.0049912f, 1.00552951f, 1.00609538f, 1.00668889f, 1.00731011f, 1.00795913f, 1.00863604f, 1.00934093f, 1.0100739f, 1.01083505f, 1.01162448f, 1.0124423f, 1.01328863f, 1.01416358f, 1.01506727f, 1.01599983f, 1.01696138f, 1.01795207f, 1.01897203f, 1.02002141f, 1.02110034f, 1.02220899f, 1.0233475f, 1.02451604f, 1.02571478f, 1.02694389f, 1.02820354f, 1.02949391f, 1.03081518f, 1.03216755f, 1.03355122f, 1.03496637f, 1.03641322f, 1.03789199f, 1.03940287f, 1.04094611f, 1.04252191f, 1.04413053f, 1.04577219f, 1.04744713f, 1.04915562f, 1.05089791f, 1.05267425f, 1.05448492f, 1.05633019f, 1.05821034f, 1.06012566f, 1.06207645f, 1.064063f, 1.06608563f, 1.06814464f, 1.07024036f, 1.07237313f, 1.07454327f, 1.07675113f, 1.07899706f, 1.08128142f, 1.08360458f, 1.08596691f, 1.08836881f, 1.09081065f, 1.09329284f, 1.0958158f, 1.09837993f, 1.10098567f, 1.10363346f, 1.10632373f, 1.10905695f, 1.11183359f, 1.11465411f, 1.11751901f, 1.12042879f, 1.12338394f, 1.126385f, 1.12943248f, 1.13252694f, 1.13566892f, 1.138859f, 1.14209774f, 1.14538575f, 1.14872362f, 1.15211198f, 1.15555144f, 1.15904266f, 1.1625863f, 1.16618303f, 1.16983353f, 1.17353851f, 1.17729869f, 1.1811148f, 1.18498759f, 1.18891784f, 1.19290633f, 1.19695385f, 1.20106124f, 1.20522933f, 1.20945898f, 1.21375107f, 1.2181065f, 1.22252618f, 1.22701106f, 1.23156209f, 1.23618027f, 1.2408666f, 1.24562211f, 1.25044785f, 1.25534491f, 1.26031439f, 1.26535742f, 1.27047516f, 1.27566879f, 1.28093954f, 1.28628864f, 1.29171738f, 1.29722704f, 1.30281898f, 1.30849456f, 1.31425519f, 1.3201023f, 1.32603738f, 1.33206192f, 1.33817749f, 1.34438568f, 1.3506881f, 1.35708644f, 1.36358241f, 1.37017777f, 1.37687433f, 1.38367393f, 1.39057848f, 1.39758993f, 1.40471029f, 1.41194161f, 1.419286f, 1.42674564f, 1.43432276f, 1.44201964f, 1.44983864f, 1.45778219f, 1.46585277f, 1.47405293f, 1.48238531f, 1.49085262f, 1.49945763f, 1.50820321f, 1.51709231f, 1.52612795f, 1.53531327f, 1.54465149f, 1.5541459f, 1.56379992f, 1.57361707f, 1.58360098f, 1.59375537f, 1.6040841f, 1.61459113f, 1.62528057f, 1.63615664f, 1.6472237f, 1.65848624f, 1.66994893f, 1.68161656f, 1.69349408f, 1.70558662f, 1.71789948f, 1.73043812f, 1.74320821f, 1.7562156f, 1.76946635f, 1.78296673f, 1.79672322f, 1.81074256f, 1.82503169f, 1.83959784f, 1.85444847f, 1.86959135f, 1.88503451f, 1.90078629f, 1.91685535f, 1.93325068f, 1.94998161f, 1.96705785f, 1.98448946f, 2.00228693f, 2.02046116f, 2.03902349f, 2.05798573f, 2.07736016f, 2.0971596f, 2.11739739f, 2.13808744f, 2.15924427f, 2.18088303f, 2.20301953f, 2.22567028f, 2.24885255f, 2.27258438f, 2.29688465f, 2.32177312f, 2.34727047f, 2.37339838f, 2.40017956f, 2.42763784f, 2.45579822f, 2.48468697f, 2.51433167f, 2.54476131f, 2.57600642f, 2.60809911f, 2.64107322f, 2.67496439f, 2.70981025f, 2.74565051f, 2.78252711f, 2.8204844f, 2.85956929f, 2.89983145f, 2.94132354f, 2.98410138f, 3.02822424f, 3.07375511f, 3.12076097f, 3.1693131f, 3.21948749f, 3.27136519f, 3.32503272f, 3.3805826f, 3.43811384f, 3.49773249f, 3.55955236f, 3.62369566f, 3.69029384f, 3.75948846f, 3.83143217f, 3.90628987f, 3.98423987f, 4.0654754f, 4.15020607f, 4.23865979f, 4.33108467f, 4.42775142f, 4.52895589f, 4.63502216f, 4.7463059f, 4.86319833f, 4.98613084f, 5.1155802f, 5.25207474f, 5.39620149f, 5.54861456f, 5.71004503f, 5.88131261f, 6.06333944f, 6.25716668f, 6.46397431f, 6.68510504f, 6.92209343f, 7.17670137f, 7.45096182f, 7.74723301f, 8.06826621f, 8.41729119f, 8.79812492f, 9.21531145f, 9.67430363f, 10.1817023f, 10.7455751f, 11.375888f, 12.0850984f, 12.8889859f, 13.8078381f, 14.8681855f, 16.1054017f, 17.5677236f, 19.3226829f, 21.4678252f, 24.149469f, 27.5975437f, 32.1952644f, 38.6324188f, 48.2885819f, 64.3827626f, 96.5719868f, 193.141385f, 6107.70619f, 0.0124864469f, 0.0191177508f, 0.025075408f, 0.0307543646f, 0.036286651f, 0.0417315957f, 0.0471204559f, 0.0524714962f, 0.0577962148f, 0.0631022778f, 0.0683950388f, 0.0736783841f, 0.0789552312f, 0.084227836f, 0.0894979894f, 0.0947671485f, 0.100036524f, 0.105307145f, 0.110579898f, 0.115855564f, 0.121134842f, 0.126418362f, 0.131706703f, 0.137000402f, 0.142299963f, 0.14760586f, 0.152918547f, 0.158238459f, 0.163566015f, 0.168901623f, 0.174245681f, 0.179598577f, 0.184960694f, 0.190332409f, 0.195714094f, 0.201106119f, 0.206508851f, 0.211922655f, 0.217347895f, 0.222784933f, 0.228234132f, 0.233695857f, 0.239170469f, 0.244658335f, 0.25015982f, 0.255675292f, 0.261205119f, 0.266749674f, 0.27230933f, 0.277884464f, 0.283475454f, 0.289082682f, 0.294706533f, 0.300347397f, 0.306005663f, 0.311681729f, 0.317375992f, 0.323088857f, 0.328820731f, 0.334572025f, 0.340343155f, 0.346134542f, 0.351946613f, 0.357779796f, 0.363634528f, 0.369511249f, 0.375410406f, 0.38133245f, 0.38727784f, 0.393247037f, 0.399240513f, 0.405258742f, 0.411302207f, 0.417371397f, 0.423466807f, 0.42958894f, 0.435738306f, 0.441915421f, 0.448120811f, 0.454355008f, 0.460618551f, 0.46691199f, 0.473235882f, 0.479590792f, 0.485977293f, 0.492395971f, 0.498847417f, 0.505332233f, 0.511851031f, 0.518404434f, 0.524993074f, 0.531617593f, 0.538278645f, 0.544976895f, 0.55171302f, 0.558487706f, 0.565301655f, 0.572155577f, 0.5790502f, 0.585986259f, 0.592964507f, 0.599985708f, 0.607050641f, 0.6141601f, 0.621314893f, 0.628515844f, 0.635763791f, 0.643059589f, 0.650404111f, 0.657798244f, 0.665242895f, 0.672738987f, 0.680287462f, 0.687889281f, 0.695545424f, 0.703256892f, 0.711024706f, 0.718849906f, 0.726733557f, 0.734676743f, 0.742680574f, 0.750746181f, 0.758874721f, 0.767067374f, 0.775325348f, 0.783649876f, 0.792042217f, 0.80050366f, 0.809035522f, 0.81763915f, 0.82631592f, 0.835067241f, 0.843894554f, 0.852799334f, 0.861783088f, 0.870847361f, 0.879993733f, 0.889223823f, 0.898539287f, 0.907941822f, 0.917433167f, 0.927015102f, 0.936689453f, 0.946458089f, 0.956322928f, 0.966285935f, 0.976349126f, 0.986514567f, 0.996784378f, 1.00716074f, 1.01764587f, 1.02824208f, 1.0389517f, 1.04977716f, 1.06072094f, 1.07178558f, 1.0829737f, 1.094288f, 1.10573122f, 1.11730621f, 1.12901591f, 1.1408633f, 1.15285148f, 1.16498363f, 1.17726302f, 1.18969301f, 1.20227709f, 1.21501881f, 1.22792185f, 1.24099f, 1.25422717f, 1.26763738f, 1.28122478f, 1.29499365f, 1.3089484f, 1.32309358f, 1.3374339f, 1.3519742f, 1.3667195f, 1.38167497f, 1.39684595f, 1.41223797f, 1.42785673f, 1.44370815f, 1.45979833f, 1.47613358f, 1.49272045f, 1.5095657f, 1.52667635f, 1.54405965f, 1.56172313f, 1.57967459f, 1.59792212f, 1.6164741f, 1.63533925f, 1.65452658f, 1.67404549f, 1.69390572f, 1.71411739f, 1.73469102f, 1.75563758f, 1.77696843f, 1.79869543f, 1.82083092f, 1.84338775f, 1.8663793f, 1.88981954f, 1.91372303f, 1.93810495f, 1.96298116f, 1.98836822f, 2.01428344f, 2.04074491f, 2.06777153f, 2.09538312f, 2.1236004f, 2.15244509f, 2.18193994f, 2.21210883f, 2.2429768f, 2.27457014f, 2.3069165f, 2.3400449f, 2.37398591f, 2.40877168f, 2.44443608f, 2.48101481f, 2.51854554f, 2.557068f, 2.59662418f, 2.63725847f, 2.67901783f, 2.72195196f, 2.76611355f, 2.81155847f, 2.85834604f, 2.90653926f, 2.95620517f, 3.00741509f, 3.06024504f, 3.11477611f, 3.17109486f, 3.22929385f, 3.28947211f, 3.35173576f, 3.41619862f, 3.48298295f, 3.55222024f, 3.62405208f, 3.69863117f, 3.77612242f, 3.85670421f, 3.94056978f, 4.02792881f, 4.1190092f, 4.21405914f, 4.31334935f, 4.41717574f, 4.5258624f, 4.63976504f, 4.75927495f, 4.88482351f, 5.01688756f, 5.15599545f, 5.30273425f, 5.4577581f, 5.62179814f, 5.79567408f, 5.98030812f, 6.17674145f, 6.38615407f, 6.60988876f, 6.84948008f, 7.10668999f, 7.38355145f, 7.68242275f, 8.00605519f, 8.35767856f, 8.74110989f, 9.16089325f, 9.62248153f, 10.1324756f, 10.6989431f, 11.3318501f, 12.0436541f, 12.8501345f, 13.7715792f, 14.8345186f, 16.0743263f, 17.5392393f, 19.2967892f, 21.4445218f, 24.1287558f, 27.5794202f, 32.1797304f, 38.6194741f, 48.2782264f, 64.374996f, 96.5668092f, 193.138796f, 6107.70611f}, 10, 301),
                HandCase.floats(new float[] {0.5f}, 1)));
    }

    // eps = the first 15 normals of Generator(21)
    private static void c99(Map<String, HandCase> m) {
        m.put("qSample", new HandCase(HandCase.expectFloats(new float[] {-1.15587601f, 0.563818308f, -0.468139944f, 0.714433885f, -0.97971944f, -0.283681526f, -0.205885331f, 0.197239931f, -0.13250105f, 0.373841433f, -0.293755072f, -0.831259942f, 0.493659461f, -0.771386159f, 0.708071422f}, 5, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f}, 5, 3),
                HandCase.ints(new int[] {0, 19, 7, 3, 12}, 5)));
    }

    // normals 6..59 of Generator(22)
    private static void c100(Map<String, HandCase> m) {
        m.put("qSampleNoise", new HandCase(HandCase.expectFloats(new float[] {-0.280192888f, 0.0216612218f, -0.0741776946f, 0.738791514f, -0.741728555f, 0.509344155f, -1.08842122f, 0.597268008f, 0.403922122f, 1.67343344f, -1.25642935f, -0.608086022f, -1.04674898f, -1.31533864f, 0.177457182f, 0.755193712f, -0.133688053f, 1.55639269f, -1.82468862f, -0.394736837f, 0.901812247f, 1.34444668f, -0.752667918f, -1.16391428f, -1.13642317f, -1.51392756f, 0.630514735f, 0.280973959f, -0.919308284f, -0.650668183f, -0.645580177f, -0.844633017f, -0.0556977046f, 0.309810738f, -1.08514993f, 0.444253264f, 0.34349318f, -1.43017154f, 0.188517959f, -0.326690378f, -1.47569424f, -0.0674198169f, -0.399510679f, -1.05866143f, 0.616441338f, -0.991307066f, 0.42704125f, -0.440932445f, -0.289724759f, -0.529768902f, 0.571493213f, 1.84579997f, 0.768226538f, -1.01205508f}, 3, 2, 3, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 3, 2, 3, 3),
                HandCase.ints(new int[] {4, 49, 0}, 3)));
    }

    // posterior mean + posterior std * the first 28 normals of Generator(23)
    private static void c101(Map<String, HandCase> m) {
        m.put("ddpmStep", new HandCase(HandCase.expectFloats(new float[] {-1.12841109f, 0.552115013f, -0.374247479f, 1.20016452f, 0.148640387f, -0.727340894f, 0.960248895f, -0.0547486384f, -0.909606092f, 0.651161456f, -0.417014711f, -1.26240092f, 0.439669572f, -0.426847021f, 1.36837199f, 0.193993943f, -0.697436729f, 1.15772211f, 0.0624283235f, -1.00692397f, 0.744396458f, -0.245331821f, -1.24354959f, 0.493350558f, -0.299421189f, 1.23987211f, 0.315611423f, -0.723585643f}, 4, 7),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f}, 4, 7),
                HandCase.floats(new float[] {0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f}, 4, 7)));
    }

    private static void c102(Map<String, HandCase> m) {
        m.put("ddpmStepLastClipped", new HandCase(HandCase.expectFloats(new float[] {-1f, 0.548459224f, -1f, 1f, -1f, 1f, -1f, 1f, -0.954540939f, 1f, -0.453540885f, 1f, 0.0474591695f, -1f, 0.548459224f}, 3, 5),
                HandCase.floats(new float[] {-3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f}, 3, 5),
                HandCase.floats(new float[] {-0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f, -0.75f}, 3, 5)));
    }

    private static void c103(Map<String, HandCase> m) {
        m.put("ddimStep", new HandCase(HandCase.expectFloats(new float[] {0.0333295252f, -0.801086184f, -1.4496406f, 2.78007895f, 2.13152454f, -3.58116514f, 0.648554414f, 0f, -0.648554414f, 3.58116514f, -2.13152454f, -2.78007895f, 1.4496406f, 0.801086184f, -0.0333295252f, -0.68188394f, -1.33043835f, 2.8992812f, 2.25072678f, -3.46196289f, 0.767756659f, 0.119202244f, -0.52935217f, -1.36376788f, -2.01232229f, 2.21739726f, 1.56884284f, 0.920288428f, 0.0858727189f, -0.562681695f}, 6, 5),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f}, 6, 5),
                HandCase.floats(new float[] {-2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f, -0.5f, -1.5f, 2f, 1f, 0f, -1f, -2f, 1.5f, 0.5f}, 6, 5)));
    }

    private static void c104(Map<String, HandCase> m) {
        m.put("ddimStepToX0Clipped", new HandCase(HandCase.expectFloats(new float[] {-1f, 0.410987148f, -1f, 0.776433007f, -1f, 1f, -1f, 1f, -0.821974295f, 1f, -0.456528436f, 1f, -0.0910825776f, -1f, 0.274363281f, -1f, 1f, -1f}, 2, 9),
                HandCase.floats(new float[] {-3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f}, 2, 9),
                HandCase.floats(new float[] {-2.5f, 1f, -1f, 2.5f, 0.5f, -1.5f, 2f, 0f, -2f, 1.5f, -0.5f, -2.5f, 1f, -1f, 2.5f, 0.5f, -1.5f, 2f}, 2, 9)));
    }

    private static void c105(Map<String, HandCase> m) {
        m.put("convTranspose2d", new HandCase(HandCase.expectFloats(new float[] {1f, 2.125f, 1.375f, 2.875f, 1.75f, -0.5f, -2f, -2f, 3.25f, 2.875f, -0.125f, 0.25f, 0.625f, -2.375f, -2.75f, -2.75f, 2.5f, 1f, -1.25f, -2.375f, -0.875f, -1.625f, -0.5f, -0.5f, 2.125f, 0.625f, -1.25f, -2f, -0.5f, -0.5f, 0.25f, 0.25f, -0.125f, -0.125f, 0.25f, 0.625f, 0.625f, 1.375f, 1f, 1f, 1f, 2.5f, 1.75f, -0.125f, -1.625f, 1.375f, 3.25f, 3.25f, 1.375f, 2.875f, 1.75f, -0.5f, -2f, 0.25f, 2.5f, 2.5f, -0.125f, 0.25f, 0.625f, -2.375f, -2.75f, -0.875f, 2.125f, 2.125f, -1.25f, -2.375f, -0.875f, -1.625f, -0.5f, -0.875f, -0.125f, -0.125f, -1.25f, -2.375f, -0.875f, -1.625f, -0.5f, -0.875f, -0.125f, -0.125f, -0.25f, 0.875f, 0.125f, 1.625f, 0.5f, -1.75f, -3.25f, -3.25f, 2f, 1.625f, -1.375f, -1f, -0.625f, -3.625f, -4f, -4f, 1.25f, -0.25f, -2.5f, -3.625f, -2.125f, -2.875f, -1.75f, -1.75f, 0.875f, -0.625f, -2.5f, -3.25f, -1.75f, -1.75f, -1f, -1f, -1.375f, -1.375f, -1f, -0.625f, -0.625f, 0.125f, -0.25f, -0.25f, -0.25f, 1.25f, 0.5f, -1.375f, -2.875f, 0.125f, 2f, 2f, 0.125f, 1.625f, 0.5f, -1.75f, -3.25f, -1f, 1.25f, 1.25f, -1.375f, -1f, -0.625f, -3.625f, -4f, -2.125f, 0.875f, 0.875f, -2.5f, -3.625f, -2.125f, -2.875f, -1.75f, -2.125f, -1.375f, -1.375f, -2.5f, -3.625f, -2.125f, -2.875f, -1.75f, -2.125f, -1.375f, -1.375f, -1.25f, -2.375f, -0.875f, -1.625f, -0.5f, -0.875f, -0.125f, -0.125f, -1.25f, -2f, -0.5f, -0.5f, 0.25f, 1f, 1f, 1f, 0.25f, 0.625f, 0.625f, 1.375f, 1f, 2.125f, 1.375f, 1.375f, 1.75f, -0.125f, -1.625f, 1.375f, 3.25f, 2.875f, -0.125f, -0.125f, 1.75f, -0.5f, -2f, 0.25f, 2.5f, 1f, -1.25f, -1.25f, 0.625f, -2.375f, -2.75f, -0.875f, 2.125f, 0.625f, -1.25f, -1.25f, -0.875f, -1.625f, -0.5f, -0.875f, -0.125f, -0.125f, 0.25f, 0.25f, -0.5f, -0.5f, 0.25f, 1f, 1f, 2.5f, 1.75f, 1.75f, 0.625f, 1.375f, 1f, 2.125f, 1.375f, 2.875f, 1.75f, 1.75f, 0.625f, 1.375f, 1f, 2.125f, 1.375f, 2.875f, 1.75f, 1.75f, -2.5f, -3.625f, -2.125f, -2.875f, -1.75f, -2.125f, -1.375f, -1.375f, -2.5f, -3.25f, -1.75f, -1.75f, -1f, -0.25f, -0.25f, -0.25f, -1f, -0.625f, -0.625f, 0.125f, -0.25f, 0.875f, 0.125f, 0.125f, 0.5f, -1.375f, -2.875f, 0.125f, 2f, 1.625f, -1.375f, -1.375f, 0.5f, -1.75f, -3.25f, -1f, 1.25f, -0.25f, -2.5f, -2.5f, -0.625f, -3.625f, -4f, -2.125f, 0.875f, -0.625f, -2.5f, -2.5f, -2.125f, -2.875f, -1.75f, -2.125f, -1.375f, -1.375f, -1f, -1f, -1.75f, -1.75f, -1f, -0.25f, -0.25f, 1.25f, 0.5f, 0.5f, -0.625f, 0.125f, -0.25f, 0.875f, 0.125f, 1.625f, 0.5f, 0.5f, -0.625f, 0.125f, -0.25f, 0.875f, 0.125f, 1.625f, 0.5f, 0.5f}, 2, 2, 10, 8),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 2, 3, 5, 4),
                HandCase.floats(new float[] {-1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f, -1.5f}, 3, 2, 3, 3),
                HandCase.floats(new float[] {0.25f, -1f}, 2)));
    }

    private static void c106(Map<String, HandCase> m) {
        m.put("convTranspose2dGroups", new HandCase(HandCase.expectFloats(new float[] {-0.625f, -0.75f, 0.25f, 1.5f, -0.5f, -1.125f, 0.375f, 1.125f, -0.375f, -0.25f, 0.5f, 0.75f, -0.25f, -1.875f, 0.625f, 0.375f, -0.125f, -2.25f, 0.75f, -0.25f, -2f, 1f, -0.125f, 3f, -1.5f, 3.375f, 0.375f, -1.125f, -1f, 1.125f, 1.375f, -0.875f, -0.875f, 0.5f, 1.75f, -1.375f, -0.5f, 0f, 2.125f, -2f, -0.125f, -0.5f, -0.75f, -0.75f, 0.25f, 0.625f, -2f, 2f, 0.625f, -0.5f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 0.5f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.625f, 1.875f, -0.625f, 2.5f, -2f, 1.5f, -0.125f, -1.125f, 0.125f, 1.125f, -0.5f, -1.25f, -0.375f, 1f, 1.5f, -1.625f, 0.125f, 0.625f, 2f, -2f, 0.75f, 0.25f, -0.75f, -0.75f, -0.5f, -0.125f, -1.875f, 2.125f, 0f, -0.5f, 0.25f, 0.75f, -2.25f, -0.125f, 0.375f, 0.625f, -1.875f, -0.25f, 0.75f, 0.5f, -1.25f, -0.375f, 1.125f, 0.375f, -1.125f, -0.5f, 1.5f, 0.25f, -0.75f, -0.625f, 2.125f, -0.5f, 2.125f, -0.5f, 0.5f, -0.5f, -1.125f, 1.125f, -1.125f, -0.5f, 0.375f, 0.5f, 0.75f, -0.25f, -1.875f, 0.625f, 0.375f, -0.125f, -2.25f, 0.75f, -0.25f, 0f, -1f, -0.75f, 2.875f, 0.125f, 1.875f, -0.625f, -0.75f, 0.25f, -0.25f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 0.25f, -0.25f, -0.625f, -0.25f, -0.625f, 3f, -0.625f, -0.25f, -0.625f, -0.25f, 0.75f, 1.125f, 0.375f, -1.5f, 0.625f, 0.75f, 0.875f, -1.875f, 1.125f, 0.375f, -0.5f, -2f, 0.625f, 0.25f, -0.75f, -0.75f, -0.5f, -0.125f, -1.875f, 2.125f, -0.625f, -0.5f, -1.375f, 1.75f, 0.5f, -0.875f, -0.875f, 1.375f, 1f, -1.25f, 0.5f, 0.5f, -1.5f, -0.375f, 1.125f, 0.375f, -1.125f, -0.5f, 1.5f, 0.25f, -0.5f, -0.625f, 1.875f, 0.125f, 2.875f, -0.75f, -1f, 0f, 0f, 0.75f, -2f, -0.5f, -1.125f, 1.125f, -1.125f, -0.5f, -1.125f, 1.125f, -1.125f, -0.5f, 1.125f, 0.75f, 0f, 0f, -1f, -0.75f, 2.875f, 0.125f, 1.875f, -0.625f, -0.25f, 0.25f, 1.5f, -0.5f, -1.125f, 0.375f, 1.125f, -0.375f, -1.5f, 0.5f, -0.25f, -1.25f, 1f, 1.375f, -0.875f, -0.875f, 0.5f, 1.75f, -1.375f, -0.5f, 0.625f, 2.125f, -1.875f, -0.125f, -0.5f, -0.75f, -0.75f, 0.25f, 0.625f, -2f, 2.125f, 0.375f, 1.125f, -1.875f, 0.875f, 0.75f, 0.625f, -1.5f, 0.375f, 1.125f, -1f, -0.25f, -0.625f, -0.25f, -0.625f, 3f, -0.625f, -0.25f, -0.625f, -0.25f, 0.75f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.625f, -0.25f, 1f, -0.25f, -0.375f}, 1, 6, 5, 10),
                HandCase.floats(new float[] {-1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f, -0.5f, 1.25f, -0.25f, 1.5f, 0f, -1.5f, 0.25f, -1.25f, 0.5f, -1f, 0.75f, -0.75f, 1f}, 1, 4, 3, 5),
                HandCase.floats(new float[] {-1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f, 1f, -0.5f, 0.5f, -1f, 0f}, 4, 3, 2, 3)));
    }

    private static void c107(Map<String, HandCase> m) {
        m.put("upsampleNearest", new HandCase(HandCase.expectFloats(new float[] {1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 1f, 1f, 2f, 2f, 3f, 3f, 4f, 4f, 5f, 5f, 6f, 6f, 7f, 7f, 8f, 8f, 5f, 5f, 6f, 6f, 7f, 7f, 8f, 8f, 9f, 9f, 10f, 10f, 11f, 11f, 12f, 12f, 9f, 9f, 10f, 10f, 11f, 11f, 12f, 12f, 13f, 13f, 14f, 14f, 15f, 15f, 16f, 16f, 13f, 13f, 14f, 14f, 15f, 15f, 16f, 16f, 17f, 17f, 18f, 18f, 19f, 19f, 20f, 20f, 17f, 17f, 18f, 18f, 19f, 19f, 20f, 20f, 21f, 21f, 22f, 22f, 23f, 23f, 24f, 24f, 21f, 21f, 22f, 22f, 23f, 23f, 24f, 24f, 25f, 25f, 26f, 26f, 27f, 27f, 28f, 28f, 25f, 25f, 26f, 26f, 27f, 27f, 28f, 28f, 29f, 29f, 30f, 30f, 31f, 31f, 32f, 32f, 29f, 29f, 30f, 30f, 31f, 31f, 32f, 32f, 33f, 33f, 34f, 34f, 35f, 35f, 36f, 36f, 33f, 33f, 34f, 34f, 35f, 35f, 36f, 36f, 37f, 37f, 38f, 38f, 39f, 39f, 40f, 40f, 37f, 37f, 38f, 38f, 39f, 39f, 40f, 40f, 41f, 41f, 42f, 42f, 43f, 43f, 44f, 44f, 41f, 41f, 42f, 42f, 43f, 43f, 44f, 44f, 45f, 45f, 46f, 46f, 47f, 47f, 48f, 48f, 45f, 45f, 46f, 46f, 47f, 47f, 48f, 48f, 49f, 49f, 50f, 50f, 51f, 51f, 52f, 52f, 49f, 49f, 50f, 50f, 51f, 51f, 52f, 52f, 53f, 53f, 54f, 54f, 55f, 55f, 56f, 56f, 53f, 53f, 54f, 54f, 55f, 55f, 56f, 56f, 57f, 57f, 58f, 58f, 59f, 59f, 60f, 60f, 57f, 57f, 58f, 58f, 59f, 59f, 60f, 60f, 61f, 61f, 62f, 62f, 63f, 63f, 64f, 64f, 61f, 61f, 62f, 62f, 63f, 63f, 64f, 64f, 65f, 65f, 66f, 66f, 67f, 67f, 68f, 68f, 65f, 65f, 66f, 66f, 67f, 67f, 68f, 68f, 69f, 69f, 70f, 70f, 71f, 71f, 72f, 72f, 69f, 69f, 70f, 70f, 71f, 71f, 72f, 72f}, 2, 3, 6, 8),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f, 17f, 18f, 19f, 20f, 21f, 22f, 23f, 24f, 25f, 26f, 27f, 28f, 29f, 30f, 31f, 32f, 33f, 34f, 35f, 36f, 37f, 38f, 39f, 40f, 41f, 42f, 43f, 44f, 45f, 46f, 47f, 48f, 49f, 50f, 51f, 52f, 53f, 54f, 55f, 56f, 57f, 58f, 59f, 60f, 61f, 62f, 63f, 64f, 65f, 66f, 67f, 68f, 69f, 70f, 71f, 72f}, 2, 3, 3, 4)));
    }

    private static void c108(Map<String, HandCase> m) {
        m.put("upsampleNearest3x1", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 1f, 2f, 3f, 1f, 2f, 3f, 4f, 5f, 6f, 4f, 5f, 6f, 4f, 5f, 6f, 7f, 8f, 9f, 7f, 8f, 9f, 7f, 8f, 9f, 10f, 11f, 12f, 10f, 11f, 12f, 10f, 11f, 12f}, 1, 2, 6, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 2, 2, 3)));
    }

    private static void c109(Map<String, HandCase> m) {
        m.put("groupNorm", new HandCase(HandCase.expectFloats(new float[] {-1.55894658f, 0.338901431f, -1.28782544f, 0.610022576f, -1.01670429f, 0.881143721f, -0.745583148f, 1.15226487f, -0.474462003f, 1.42338601f, -0.203340859f, 1.69450715f, 1.13556057f, -2.11789316f, 1.67780286f, -1.57565088f, 2.22004515f, -1.03340859f, 2.76228744f, -0.491166296f, 3.30452973f, 0.0510759933f, 3.84677202f, 0.593318283f, -0.177575855f, -0.97777232f, -1.77796879f, -0.844406243f, -1.64460271f, -0.711040165f, -1.51123663f, -0.577674088f, -1.37787055f, -0.44430801f, -1.24450448f, -0.310941933f, 0.722276796f, -1.14484829f, 0.455544641f, 2.05593757f, 0.188812486f, 1.78920542f, -0.0779196695f, 1.52247326f, -0.344651825f, 1.25574111f, -0.61138398f, 0.989008951f, 2.33575278f, 1.93945442f, 2.40180251f, 2.00550414f, 1.60920578f, 2.07155387f, 1.6752555f, 2.1376036f, 1.74130523f, 2.20365333f, 1.80735496f, 2.26970306f, -1.76914375f, 3.77903342f, -0.97654701f, 4.57163015f, -0.183950272f, -4.9395307f, 0.608646466f, -4.14693396f, 1.4012432f, -3.35433722f, 2.19383994f, -2.56174049f, 1.05348161f, -0.526740807f, 1.31685202f, -0.263370403f, 1.58022242f, 0f, -1.58022242f, 0.263370403f, -1.31685202f, 0.526740807f, -1.05348161f, 0.79011121f, -0.58022242f, 3.10696323f, -0.0534816137f, 3.63370403f, 0.473259193f, 4.16044484f, 1f, -2.16044484f, 1.52674081f, -1.63370403f, 2.05348161f, -1.10696323f, -0.614709919f, -1.40730666f, -0.482610463f, -1.2752072f, -0.350511007f, -1.14310774f, -0.21841155f, -1.01100829f, -1.80360503f, -0.878908832f, -1.67150557f, -0.746809375f, 1.57881223f, -0.270580162f, 1.31461331f, -0.534779074f, 1.0504144f, -0.798977987f, 0.786215489f, -1.0631769f, 0.522016576f, 2.10721005f, 0.257817663f, 1.84301114f, 2.12225224f, 1.72215401f, 2.18893528f, 1.78883704f, 2.25561832f, 1.85552008f, 2.32230135f, 1.92220312f, 2.38898439f, 1.98888616f, 1.58878793f, 2.0555692f, -4.3843484f, 1.21702685f, -3.58415194f, 2.01722332f, -2.78395547f, 2.81741978f, -1.98375901f, 3.61761625f, -1.18356254f, 4.41781272f, -0.383366078f, -5.18454487f}, 2, 6, 3, 4),
                HandCase.floats(new float[] {-3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f, 0.5f, -2.5f, 1f, -2f, 1.5f, -1.5f, 2f, -1f, 2.5f, -0.5f, 3f, 0f, -3f}, 2, 6, 3, 4),
                HandCase.floats(new float[] {1f, 2f, 0.5f, -1f, 0.25f, 3f}, 6),
                HandCase.floats(new float[] {0f, 1f, -1f, 0.5f, 2f, -0.25f}, 6)));
    }

    private static void c110(Map<String, HandCase> m) {
        m.put("groupNormNoAffine", new HandCase(HandCase.expectFloats(new float[] {-0.999995f, 0.999995f, -0.9999968f, 0.9999968f, 0f, 0f, 0.999995f, -0.999995f, -0.999995f, 0.999995f, 0.9999998f, -0.9999998f}, 3, 4),
                HandCase.floats(new float[] {1f, 3f, -2f, 0.5f, 4f, 4f, 1f, -1f, 0f, 2f, 7f, -3f}, 3, 4)));
    }

    private static void c111(Map<String, HandCase> m) {
        m.put("silu", new HandCase(HandCase.expectFloats(new float[] {-0.18964545f, 0.731058579f, -0.268941421f, 2.31035455f, 0.311229666f, -0.273638286f, 1.76159416f, 0f, -0.238405844f, 1.22636171f, -0.188770334f, -0.18964545f, 0.731058579f, -0.268941421f, 2.31035455f, 0.311229666f, -0.273638286f, 1.76159416f, 0f, -0.238405844f}, 4, 5),
                HandCase.floats(new float[] {-2.5f, 1f, -1f, 2.5f, 0.5f, -1.5f, 2f, 0f, -2f, 1.5f, -0.5f, -2.5f, 1f, -1f, 2.5f, 0.5f, -1.5f, 2f, 0f, -2f}, 4, 5)));
    }

    // sin/cos of t * 10000^(-k/3), k < 3, then a zero column (odd width)
    private static void c112(Map<String, HandCase> m) {
        m.put("timestepEmbedding", new HandCase(HandCase.expectFloats(new float[] {0f, 0f, 0f, 1f, 1f, 1f, 0f, 0.841470985f, 0.0463992235f, 0.00215443302f, 0.540302306f, 0.998922976f, 0.999997679f, 0f, -0.953752653f, 0.762529567f, 0.105371327f, 0.300592544f, -0.646953367f, 0.994432946f, 0f, 0.656986599f, 0.319224651f, 0.0150804712f, 0.753902254f, 0.947679071f, 0.999886283f, 0f, 0.656986599f, 0.319224651f, 0.0150804712f, 0.753902254f, 0.947679071f, 0.999886283f, 0f, -0.846220404f, 0.876029011f, 0.049531722f, -0.53283302f, 0.482258409f, 0.998772551f, 0f}, 6, 7),
                HandCase.ints(new int[] {0, 1, 49, 7, 7, 23}, 6)));
    }

    // tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))
    private static void c113(Map<String, HandCase> m) {
        m.put("geluTanh", new HandCase(HandCase.expectFloats(new float[] {-0.0454023059f, -0.15428599f, 0f, 0.34571401f, 0.841191991f, 2.99636261f}, 2, 3),
                HandCase.floats(new float[] {-2f, -0.5f, 0f, 0.5f, 1f, 3f}, 2, 3)));
    }

    // [2,1,1,2] x [2,2,1]: every left row times every right matrix
    private static void c114(Map<String, HandCase> m) {
        m.put("matmulBatchBroadcast", new HandCase(HandCase.expectFloats(new float[] {1f, 4f, 3f, 5f}, 2, 2, 1, 1),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f}, 2, 1, 1, 2),
                HandCase.floats(new float[] {1f, 0f, 2f, 1f}, 2, 2, 1)));
    }

    private static void c115(Map<String, HandCase> m) {
        m.put("matmul2dBatch", new HandCase(HandCase.expectFloats(new float[] {3f, 7f, 0f, 2f}, 2, 2, 1),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f}, 2, 2),
                HandCase.floats(new float[] {1f, 1f, 2f, -1f}, 2, 2, 1)));
    }

    private static void c116(Map<String, HandCase> m) {
        m.put("matmulVecBatch", new HandCase(HandCase.expectFloats(new float[] {-3f, -3f, -3f, -2f, 1f, -1f}, 2, 1, 3),
                HandCase.floats(new float[] {1f, -1f}, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 0f, 1f, 0f, 2f, 0f, 1f}, 2, 1, 2, 3)));
    }

    // rows 0 and 2 counted: (log(e+e^2+e^3) - 3 + log 3) / 2; the -100 row is ignored
    private static void c117(Map<String, HandCase> m) {
        m.put("crossEntropyIgnoreIndex", new HandCase(HandCase.expectFloats(new float[] {0.753109127f}),
                HandCase.floats(new float[] {1f, 2f, 3f, -1f, 0f, 1.5f, 0f, 0f, 0f}, 3, 3),
                HandCase.ints(new int[] {2, -100, 0}, 3)));
    }

    // [1, 3, 2] logits: the crossEntropy case with classes along axis 1, so the same loss
    private static void c118(Map<String, HandCase> m) {
        m.put("crossEntropyNd", new HandCase(HandCase.expectFloats(new float[] {1.58698693f}),
                HandCase.floats(new float[] {1f, -1f, 2f, 0f, 3f, 1.5f}, 1, 3, 2),
                HandCase.ints(new int[] {2, 0}, 1, 2)));
    }

    // Dv = 3 > D = 1, causal: row 0 sees key 0 (v0); row 1 softmax(0, 1) = (1/(1+e), e/(1+e))
    private static void c119(Map<String, HandCase> m) {
        m.put("attentionDvWide", new HandCase(HandCase.expectFloats(new float[] {1f, 2f, 3f, 2.46211716f, 2f, 0.0757656855f}, 1, 1, 2, 3),
                HandCase.floats(new float[] {1f, 1f}, 1, 1, 2, 1),
                HandCase.floats(new float[] {0f, 1f}, 1, 1, 2, 1),
                HandCase.floats(new float[] {1f, 2f, 3f, 3f, 2f, -1f}, 1, 1, 2, 3),
                HandCase.ints(new int[] {2}, 1)));
    }

    // Dv = 1 < D = 2, scale 1/sqrt 2
    private static void c120(Map<String, HandCase> m) {
        m.put("attentionDvNarrow", new HandCase(HandCase.expectFloats(new float[] {1.70408314f, 2.40111209f}, 1, 1, 2, 1),
                HandCase.floats(new float[] {1f, 0f, 1f, 2f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 1f, 0f, 1f, -1f, 2f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 4f}, 1, 1, 3, 1)));
    }

    // Dv = 3, D = 2, a mask that is no key-padding prefix (row 0 skips key 0): the composed path
    private static void c121(Map<String, HandCase> m) {
        m.put("attentionDvMasked", new HandCase(HandCase.expectFloats(new float[] {2.6790462f, 3.0185693f, 4.6790462f, 0.330238451f, -0.00928464798f, 2.33023845f}, 1, 1, 2, 3),
                HandCase.floats(new float[] {1f, 0f, 0f, 1f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 0f, 0f, 2f, -1f, 1f}, 1, 1, 3, 2),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 0f, -1f, 2f}, 1, 1, 3, 3),
                HandCase.ints(new int[] {0, 1, 1, 1, 0, 1}, 1, 1, 2, 3)));
    }

    // ceil mode: 3x3 input, kernel 3x2, stride 2, padding 1x0 -> 2x2 (floor: 2x1); the last
    // column of windows hangs over the right border and takes the max of the taps inside
    private static void c122(Map<String, HandCase> m) {
        m.put("maxPool2dCeil", new HandCase(HandCase.expectFloats(new float[] {5f, 3f, 8f, 3f}, 1, 1, 2, 2),
                HandCase.floats(new float[] {1f, 5f, 2f, 0f, -1f, 3f, 8f, 4f, -7f}, 1, 1, 3, 3)));
    }

    // ceil mode, 4x4 input, kernel 3, stride 2, padding 1 -> 3x3 (floor: 2x2); count_include_pad:
    // the last windows count the one padded row/column they cover (divisor 6 or 4), not beyond it
    private static void c123(Map<String, HandCase> m) {
        m.put("avgPool2dCeil", new HandCase(HandCase.expectFloats(new float[] {1.55555556f, 3.33333333f, 2f, 6.33333333f, 11f, 6f, 4.5f, 7.5f, 4f}, 1, 1, 3, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f, 13f, 14f, 15f, 16f}, 1, 1, 4, 4)));
    }

    // ceil mode, 3x4 input, kernel 2x3, stride 2, padding 0x1, padding not counted -> 2x3 (floor: 1x2)
    private static void c124(Map<String, HandCase> m) {
        m.put("avgPool2dCeilExcludePad", new HandCase(HandCase.expectFloats(new float[] {3.5f, 5f, 6f, 9.5f, 11f, 12f}, 1, 1, 2, 3),
                HandCase.floats(new float[] {1f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f, 11f, 12f}, 1, 1, 3, 4)));
    }

    // Row-sparse gradients of lookups of rows [4, 0, 4, 2, 0, 4]: rows 0, 2, 4 with their summed gradient rows
    // (row 0: g1 + g4, row 2: g3, row 4: g0 + g2 + g5); SGD moves only those rows by -0.5 g; SparseAdam
    // (lr 0.1) moves them by about -lr sign(g) in step 1, then rows 1 and 4 in step 2 with lazy moments:
    // row 1's first moment is 0.1 g, its step lr sqrt(1 - 0.999^2) / (1 - 0.9^2) 0.1 g / sqrt(0.001 g^2).
    private static void c125(Map<String, HandCase> m) {
        m.put("rowSparseGrad", new HandCase(HandCase.expectFloats(new float[] {4.25f, 4.75f, 5.25f, 2.5f, 2.75f, 3f, 6f, 6.75f, 7.5f}, 3, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
    }

    private static void c126(Map<String, HandCase> m) {
        m.put("sparseSgdStep", new HandCase(HandCase.expectFloats(new float[] {-3.375f, -1.875f, -3.125f, 1.25f, 0.25f, -0.75f, -0.25f, -1.375f, -2.5f, 0.75f, -0.25f, -1.25f, -2.5f, -3.875f, -2.5f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
    }

    private static void c127(Map<String, HandCase> m) {
        m.put("sparseAdamSteps", new HandCase(HandCase.expectFloats(new float[] {-1.34999999f, 0.400000005f, -0.599999995f, 1.17558641f, 0.175586364f, -0.824413652f, 0.900000011f, -0.09999999f, -1.09999999f, 0.75f, -0.25f, -1.25f, 0.308075029f, -0.692661598f, 1.05678204f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {-1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f, -0.25f, -1.25f, 0.5f, -0.5f, 1.25f, 0.25f, -0.75f, 1f, 0f, -1f, 0.75f}, 7, 3),
                HandCase.floats(new float[] {0.25f, 0.5f, 0.75f, 1f, 1.25f, 1.5f, 1.75f, 2f, 2.25f, 2.5f, 2.75f, 3f, 3.25f, 3.5f, 3.75f, 4f, 4.25f, 4.5f}, 6, 3)));
    }
}
