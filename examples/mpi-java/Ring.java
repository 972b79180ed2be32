import mpi.MPI;
import mpi.MPIException;

/** Passes a token around a ring of ranks, then sums the ranks with an allreduce. */
public final class Ring {
  public static void main(String[] args) throws MPIException {
    MPI.Init(args);
    int rank = MPI.COMM_WORLD.getRank();
    int size = MPI.COMM_WORLD.getSize();
    int[] token = {0};
    int next = (rank + 1) % size;
    int prev = (rank + size - 1) % size;
    if (rank == 0) {
      token[0] = 1;
      MPI.COMM_WORLD.send(token, 1, MPI.INT, next, 0);
      MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, 0);
      System.out.println("ring: token visited " + token[0] + " ranks");
    } else {
      MPI.COMM_WORLD.recv(token, 1, MPI.INT, prev, 0);
      token[0]++;
      MPI.COMM_WORLD.send(token, 1, MPI.INT, next, 0);
    }
    int[] mine = {rank};
    int[] sum = new int[1];
    MPI.COMM_WORLD.allReduce(mine, sum, 1, MPI.INT, MPI.SUM);
    System.out.println("rank " + rank + " of " + size + " allreduce sum " + sum[0]);
    MPI.Finalize();
  }
}
