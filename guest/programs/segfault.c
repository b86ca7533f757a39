/* Writes to address 0x10: must die of SIGSEGV (minivm exits 139). */
int main(void)
{
    *(volatile int *)0x10 = 1;
    return 0;
}
