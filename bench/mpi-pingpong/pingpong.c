/* Intra-node MPI ping-pong between ranks 0 and 1, message sizes 8 B .. 4 MiB.
 * Prints one line per size: bytes, one-way latency in microseconds, bandwidth in MB/s (10^6 bytes/s).
 * Written for jsing's benchmarks; run the same binary bare and inside a container. */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    int rank, size;
    MPI_Init(&argc, &argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (size < 2) {
        if (rank == 0) fprintf(stderr, "pingpong: needs 2 ranks\n");
        MPI_Abort(MPI_COMM_WORLD, 2);
    }
    const long max = 4L << 20;
    char *buf = malloc(max);
    if (!buf) MPI_Abort(MPI_COMM_WORLD, 1);
    memset(buf, 1, max);
    if (rank == 0) printf("%10s %12s %12s\n", "bytes", "lat_us", "bw_MBps");
    for (long n = 8; n <= max; n *= 4) {
        int iters = n <= 65536 ? 2000 : (n <= 1048576 ? 200 : 50);
        int warm = iters / 10;
        double t0 = 0;
        for (int i = 0; i < iters + warm; i++) {
            if (i == warm) { MPI_Barrier(MPI_COMM_WORLD); t0 = MPI_Wtime(); }
            if (rank == 0) {
                MPI_Send(buf, (int)n, MPI_CHAR, 1, 0, MPI_COMM_WORLD);
                MPI_Recv(buf, (int)n, MPI_CHAR, 1, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            } else if (rank == 1) {
                MPI_Recv(buf, (int)n, MPI_CHAR, 0, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                MPI_Send(buf, (int)n, MPI_CHAR, 0, 0, MPI_COMM_WORLD);
            }
        }
        double dt = MPI_Wtime() - t0;
        if (rank == 0) {
            double oneway = dt / iters / 2;
            printf("%10ld %12.2f %12.1f\n", n, oneway * 1e6, n / oneway / 1e6);
        }
    }
    free(buf);
    MPI_Finalize();
    return 0;
}
