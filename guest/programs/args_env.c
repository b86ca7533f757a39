/* Prints argc, every argv[i] and every environment string, one per line. */
#include <stdio.h>

int main(int argc, char **argv, char **envp)
{
    printf("argc=%d\n", argc);
    for (int i = 0; i < argc; i++)
        printf("argv[%d]=%s\n", i, argv[i]);
    for (char **e = envp; *e != NULL; e++)
        printf("env: %s\n", *e);
    return 0;
}
