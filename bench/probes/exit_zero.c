/* The program bench/probes/fork_exec.c executes: a static program that only
 * exits 0 (built with musl, so the libc's start-up is a handful of calls). */
int main(void)
{
    return 0;
}
