/* Prints 32 bytes of getrandom() and the 16 AT_RANDOM bytes, in hex: with a
 * seeded rng device both lines are the same on every run. */
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/random.h>

static void print_hex(const char *label, const unsigned char *bytes, size_t n)
{
    printf("%s ", label);
    for (size_t i = 0; i < n; i++)
        printf("%02x", bytes[i]);
    printf("\n");
}

int main(void)
{
    unsigned char buf[32];
    if (getrandom(buf, sizeof buf, 0) != (ssize_t)sizeof buf) {
        perror("getrandom");
        return 1;
    }
    const unsigned char *at_random = (const unsigned char *)getauxval(AT_RANDOM);
    if (at_random == NULL) {
        fprintf(stderr, "no AT_RANDOM\n");
        return 1;
    }
    print_hex("getrandom", buf, sizeof buf);
    print_hex("at_random", at_random, 16);
    return 0;
}
