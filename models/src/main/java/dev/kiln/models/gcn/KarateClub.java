package dev.kiln.models.gcn;

import dev.kiln.Tensor;
import dev.kiln.sparse.Graphs;

/**
 * Zachary's karate club (W. W. Zachary, "An information flow model for conflict and fission in
 * small groups", 1977): 34 members, 78 friendships, and the two factions the club split into
 * (those who followed the instructor, node 0, and those who followed the administrator, node 33),
 * with the node numbering and faction labels of NetworkX's {@code karate_club_graph}. Features are
 * one-hot node identities; one node per faction is labelled (0 and 33), the other 32 are the test
 * set, as in Kipf and Welling's semi-supervised example.
 */
public final class KarateClub {

    private KarateClub() {
    }

    public static final int NODES = 34;

    /** Each friendship once, as (u, v) with u < v. */
    static final int[][] EDGES = {
        {0, 1}, {0, 2}, {0, 3}, {0, 4}, {0, 5}, {0, 6}, {0, 7}, {0, 8}, {0, 10}, {0, 11}, {0, 12}, {0, 13}, {0, 17}, {0, 19},
        {0, 21}, {0, 31}, {1, 2}, {1, 3}, {1, 7}, {1, 13}, {1, 17}, {1, 19}, {1, 21}, {1, 30}, {2, 3}, {2, 7}, {2, 8}, {2, 9},
        {2, 13}, {2, 27}, {2, 28}, {2, 32}, {3, 7}, {3, 12}, {3, 13}, {4, 6}, {4, 10}, {5, 6}, {5, 10}, {5, 16}, {6, 16},
        {8, 30}, {8, 32}, {8, 33}, {9, 33}, {13, 33}, {14, 32}, {14, 33}, {15, 32}, {15, 33}, {18, 32}, {18, 33}, {19, 33},
        {20, 32}, {20, 33}, {22, 32}, {22, 33}, {23, 25}, {23, 27}, {23, 29}, {23, 32}, {23, 33}, {24, 25}, {24, 27},
        {24, 31}, {25, 31}, {26, 29}, {26, 33}, {27, 33}, {28, 31}, {28, 33}, {29, 32}, {29, 33}, {30, 32}, {30, 33},
        {31, 32}, {31, 33}, {32, 33}};

    /** Faction per member: 0 the instructor's ("Mr. Hi"), 1 the administrator's ("Officer"). */
    static final int[] FACTION = {
        0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};

    public static GraphData load() {
        int[] s = new int[EDGES.length], d = new int[EDGES.length];
        for (int e = 0; e < EDGES.length; e++) {
            s[e] = EDGES[e][0];
            d[e] = EDGES[e][1];
        }
        float[] eye = new float[NODES * NODES];
        for (int i = 0; i < NODES; i++) {
            eye[i * NODES + i] = 1f;
        }
        int[] test = new int[NODES - 2];
        for (int i = 1, k = 0; i < NODES - 1; i++) {
            test[k++] = i;
        }
        return new GraphData(Graphs.undirected(NODES, s, d), Tensor.fromArray(eye, NODES, NODES), FACTION.clone(),
                new int[] {0, 33}, test, 2, "Zachary's karate club: 34 nodes, 78 edges, one-hot features, nodes 0 and 33 labelled");
    }
}
