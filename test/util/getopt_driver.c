/*
 * getopt_driver - prints what glibc's getopt(3) returns for a command line, for the
 * differential test of src/util/getopt.ts. Usage: getopt_driver optstring argv0 [args...]
 */
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    const char *optstring = argv[1];
    char **args = argv + 2;
    int nargs = argc - 2;
    int c;

    while ((c = getopt(nargs, args, optstring)) != -1)
        printf("option %c optarg %s optopt %c optind %d\n", c, optarg ? optarg : "(none)",
               c == '?' || c == ':' ? optopt : '-', optind);
    printf("end optind %d\n", optind);
    for (int i = optind; i < nargs; i++)
        printf("operand %s\n", args[i]);
    fflush(stdout);
    return 0;
}
