/* Small-write probe: 100,000 one-byte write(2) calls to stdout (a pipe or a
 * file when benchmarked), or argv[1] calls (bench/per_op.sh). The bytes cycle
 * through 'a'..'z' so a reader can check that nothing was lost or reordered. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 100000;
    for (long i = 0; i < n; i++) {
        char c = (char)('a' + i % 26);
        if (write(1, &c, 1) != 1) {
            perror("write");
            return 1;
        }
    }
    return 0;
}
