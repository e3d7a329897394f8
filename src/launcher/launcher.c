/*
 * launcher - the executable file behind every command and daemon of this project.
 *
 * The kernel runs a script under its interpreter without its set-gid bit, and Node replaces
 * argv[0] with its own path. This small C program is therefore what gets installed under
 * each command's and daemon's name (a copy per name, so that each copy has its own mode
 * bits): it finds the JavaScript main module of the program it is named after, relative
 * to its own location (/proc/self/exe), and executes Node on it with the caller's argv[0]
 * in POSTFIX_TS_ARGV0 (see src/util/main_module.ts).
 *
 * When it runs set-uid or set-gid, the environment is cut down to the variables that
 * Postfix's set-gid programs may import, so that NODE_OPTIONS and friends cannot inject
 * code into a privileged process. NODE_BIN is the absolute path of Node, fixed at build time.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef NODE_BIN
#error "build with -DNODE_BIN='\"/path/to/node\"'"
#endif

#define ARGV0_ENV "POSTFIX_TS_ARGV0"

/*
 * Names that are served by another program's main module: src/<prog>/<prog>.js, or with a
 * slash, src/<dir>/<file>.js (the scripts that Postfix installs in daemon_directory).
 */
static const char *const aliases[][2] = {
    {"mailq", "sendmail"},
    {"newaliases", "sendmail"},
    {"lmtp", "smtp"},
    {"nqmgr", "qmgr"},
    {"postfix-script", "postfix/postfix_script"},
    {"post-install", "postfix/post_install"},
    {"postfix-tls-script", "postfix/postfix_tls_script"},
    {"postmulti-script", "postmulti/postmulti_script"},
};

/* What a set-id launch keeps: Postfix's default import_environment names. */
static const char *const setid_keep[] = {
    "MAIL_CONFIG=", "MAIL_DEBUG=", "MAIL_LOGTAG=", "TZ=", "XAUTHORITY=", "DISPLAY=",
    "LANG=", "POSTLOG_SERVICE=", "POSTLOG_HOSTNAME=",
};

extern char **environ;

static void die(const char *what)
{
    fprintf(stderr, "postfix launcher: %s\n", what);
    exit(1);
}

int main(int argc, char **argv)
{
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

    if (len <= 0)
        die("cannot read /proc/self/exe");
    exe[len] = 0;

    /* exe is <root>/<bin or libexec>/<name>; the modules are in <root>/src/<prog>/. */
    char *slash = strrchr(exe, '/');
    if (slash == 0)
        die("unexpected executable path");
    *slash = 0;
    const char *name = slash + 1;
    const char *prog = name;
    for (size_t i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcmp(name, aliases[i][0]) == 0)
            prog = aliases[i][1];
    if ((slash = strrchr(exe, '/')) == 0)
        die("unexpected executable path");
    *slash = 0;

    char script[PATH_MAX + 64];
    int written = strchr(prog, '/') ? snprintf(script, sizeof(script), "%s/src/%s.js", exe, prog)
        : snprintf(script, sizeof(script), "%s/src/%s/%s.js", exe, prog, prog);
    if (written >= (int) sizeof(script))
        die("path too long");

    /* The new environment: the caller's, or a safe subset when set-id; plus argv[0]. */
    int setid = getuid() != geteuid() || getgid() != getegid();
    size_t count = 0;
    while (environ[count])
        count++;
    char **env = calloc(count + 2, sizeof(char *));
    if (env == 0)
        die("out of memory");
    size_t n = 0;
    for (size_t i = 0; i < count; i++) {
        const char *var = environ[i];
        if (strncmp(var, ARGV0_ENV "=", sizeof(ARGV0_ENV)) == 0)
            continue;
        if (setid) {
            int keep = 0;
            for (size_t k = 0; k < sizeof(setid_keep) / sizeof(setid_keep[0]); k++)
                if (strncmp(var, setid_keep[k], strlen(setid_keep[k])) == 0)
                    keep = 1;
            if (!keep)
                continue;
        }
        env[n++] = (char *) var;
    }
    const char *argv0 = argc > 0 && argv[0] ? argv[0] : name;
    char *argv0_var = malloc(sizeof(ARGV0_ENV) + 1 + strlen(argv0));
    if (argv0_var == 0)
        die("out of memory");
    sprintf(argv0_var, "%s=%s", ARGV0_ENV, argv0);
    env[n++] = argv0_var;
    env[n] = 0;

    char **args = calloc((size_t) (argc > 0 ? argc : 1) + 2, sizeof(char *));
    if (args == 0)
        die("out of memory");
    int a = 0;
    args[a++] = (char *) NODE_BIN;
    args[a++] = script;
    for (int i = 1; i < argc; i++)
        args[a++] = argv[i];
    args[a] = 0;

    execve(NODE_BIN, args, env);
    perror("postfix launcher: execve " NODE_BIN);
    return 1;
}
