package dev.jsing.slurm;

import java.util.OptionalInt;

/**
 * Slurm's compressed tasks-per-node lists, as in {@code SLURM_STEP_TASKS_PER_NODE=4(x2),3}: four tasks on each of
 * the first two nodes, three on the third.
 */
public final class TasksPerNode {
    private TasksPerNode() {}

    /**
     * The task count of node {@code nodeIndex} (0-based, Slurm's {@code SLURM_NODEID}) in {@code list}, or empty when
     * the list is malformed or too short.
     */
    public static OptionalInt forNode(String list, int nodeIndex) {
        if (list == null || list.isBlank() || nodeIndex < 0) {
            return OptionalInt.empty();
        }
        int node = 0;
        for (String item : list.trim().split(",")) {
            int count;
            int repeat = 1;
            try {
                int paren = item.indexOf('(');
                if (paren >= 0) {
                    if (!item.startsWith("(x", paren) || !item.endsWith(")")) {
                        return OptionalInt.empty();
                    }
                    count = Integer.parseInt(item.substring(0, paren));
                    repeat = Integer.parseInt(item.substring(paren + 2, item.length() - 1));
                } else {
                    count = Integer.parseInt(item);
                }
            } catch (NumberFormatException e) {
                return OptionalInt.empty();
            }
            if (count < 0 || repeat < 1) {
                return OptionalInt.empty();
            }
            if (nodeIndex < node + repeat) {
                return OptionalInt.of(count);
            }
            node += repeat;
        }
        return OptionalInt.empty();
    }
}
