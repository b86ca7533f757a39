/* Small-write probe: 100,000 one-byte write(2) calls to stdout (a pipe or a
 * file when benchmarked). The bytes cycle through 'a'..'z' so a reader can check
 * that nothing was lost or reordered. */
#include <stdio.h>
#include <unistd.h>

int main(void)
{
    for (int i = 0; i < 100000; i++) {
        char c = (char)('a' + i % 26);
        if (write(1, &c, 1) != 1) {
            perror("write");
            return 1;
        }
    }
    return 0;
}
