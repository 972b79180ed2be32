package dev.jsing.slurm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Tests for {@link TasksPerNode}. */
class TasksPerNodeTest {
    @Test
    void plainAndRepeatedEntries() {
        assertEquals(OptionalInt.of(4), TasksPerNode.forNode("4", 0));
        assertEquals(OptionalInt.of(4), TasksPerNode.forNode("4(x2),3", 0));
        assertEquals(OptionalInt.of(4), TasksPerNode.forNode("4(x2),3", 1));
        assertEquals(OptionalInt.of(3), TasksPerNode.forNode("4(x2),3", 2));
        assertEquals(OptionalInt.of(1), TasksPerNode.forNode("2,1(x3)", 3));
    }

    @Test
    void malformedOrShortListsAreEmpty() {
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("4(x2),3", 3));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("four", 0));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("4(2)", 0));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("4(x0)", 0));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("", 0));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode(null, 0));
        assertEquals(OptionalInt.empty(), TasksPerNode.forNode("4", -1));
    }
}
