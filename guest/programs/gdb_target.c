/*
 * What the gdb end-to-end test debugs (built -O0 -g): a main that reads its
 * argument count, a global the test watches change twice, and exit status 3.
 */
int watched_total;

static int square(int x)
{
    return x * x;
}

int main(int argc, char **argv)
{
    (void)argv;
    int count = argc;
    watched_total = square(count);
    watched_total += 1;
    return 3;
}
