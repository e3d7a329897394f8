/*
 * master_recorder - a stand-in daemon for the master(8) tests: writes what master gave it
 * (argv, environment, descriptors, signal dispositions and mask, ids, umask, directory,
 * session) to REC_DIR/rec.<pid>, then exits with status 1, or dies by SIGKILL when its
 * last argument is "die-by-kill"; other last arguments: "busy" takes one client, tells
 * master that it is busy and waits a minute; "read-request" records what a client (or a
 * fifo writer) sent; "badgen" and "partial" send master a status record with a wrong
 * generation, or a short one. Build: cc -DREC_DIR='"/dir"' -o rec master_recorder.c
 */
#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef REC_DIR
#error "build with -DREC_DIR"
#endif

extern char **environ;

int main(int argc, char **argv)
{
    char path[4096];
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s/.rec.%d", REC_DIR, (int) getpid());
    snprintf(path, sizeof(path), "%s/rec.%d", REC_DIR, (int) getpid());
    /* Look at the descriptors before this program opens any. */
    char fds[64][300];
    int nfds = 0;
    for (int fd = 0; fd < 64; fd++) {
        char link[64], target[256];
        int flags = fcntl(fd, F_GETFL), fdflags = fcntl(fd, F_GETFD);
        if (flags < 0)
            continue;
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t n = readlink(link, target, sizeof(target) - 1);
        target[n > 0 ? n : 0] = 0;
        snprintf(fds[nfds++], sizeof(fds[0]), "fd %d %s flags=%o cloexec=%d", fd, target, flags, fdflags);
    }
    FILE *fp = fopen(tmp, "w");
    if (fp == 0)
        return 2;
    for (int i = 0; i < argc; i++)
        fprintf(fp, "argv[%d]=%s\n", i, argv[i]);
    for (char **e = environ; *e; e++)
        fprintf(fp, "env %s\n", *e);
    for (int i = 0; i < nfds; i++)
        fprintf(fp, "%s\n", fds[i]);
    sigset_t mask;
    sigprocmask(SIG_BLOCK, 0, &mask);
    for (int sig = 1; sig < 65; sig++) {
        struct sigaction sa;
        if (sigaction(sig, 0, &sa) == 0 && sa.sa_handler == SIG_IGN)
            fprintf(fp, "signal %d ignored\n", sig);
        if (sigismember(&mask, sig) == 1)
            fprintf(fp, "signal %d blocked\n", sig);
    }
    gid_t groups[64];
    int ngroups = getgroups(64, groups);
    fprintf(fp, "uid %d euid %d gid %d egid %d groups", (int) getuid(), (int) geteuid(), (int) getgid(), (int) getegid());
    for (int i = 0; i < ngroups; i++)
        fprintf(fp, " %d", (int) groups[i]);
    mode_t mask_bits = umask(0);
    fprintf(fp, "\numask %03o\n", (unsigned) mask_bits);
    char cwd[4096];
    if (getcwd(cwd, sizeof(cwd)) != 0)
        fprintf(fp, "cwd %s\n", cwd);
    fprintf(fp, "process group of parent: %s\n", getpgrp() == getpgid(getppid()) ? "yes" : "no");
    fprintf(fp, "session of parent: %s\n", getsid(0) == getsid(getppid()) ? "yes" : "no");
    const char *mode = argc > 1 ? argv[argc - 1] : "";
    const char *gen = getenv("GENERATION");
    struct { int pid; unsigned gen; int avail; } status = { getpid(), gen ? (unsigned) strtoul(gen, 0, 8) : 0, 0 };
    if (strcmp(mode, "read-request") == 0) {
        /* A fifo has the bytes; a socket has a client to accept first. */
        struct pollfd pfd = { 6, POLLIN, 0 };
        struct stat st;
        int fd = 6;
        if (poll(&pfd, 1, 5000) == 1 && fstat(6, &st) == 0 && !S_ISFIFO(st.st_mode))
            fd = accept(6, 0, 0);
        /* The request may come in more than one write. */
        unsigned char buf[100];
        ssize_t len = 0, n;
        struct pollfd rfd = { fd, POLLIN, 0 };
        while (fd >= 0 && len < (ssize_t) sizeof(buf) && poll(&rfd, 1, len ? 300 : 2000) == 1
               && (n = read(fd, buf + len, sizeof(buf) - len)) > 0)
            len += n;
        fprintf(fp, "request");
        for (ssize_t i = 0; i < len; i++)
            fprintf(fp, " %02x", buf[i]);
        fprintf(fp, "\n");
    }
    fclose(fp);
    rename(tmp, path);
    if (strcmp(mode, "badgen") == 0) {
        status.gen += 1000;
        if (write(5, &status, sizeof(status)) != sizeof(status))
            return 3;
        sleep(1);
    }
    if (strcmp(mode, "partial") == 0) {
        if (write(5, &status, 5) != 5)
            return 3;
        sleep(1);
    }
    if (strcmp(mode, "die-by-kill") == 0)
        raise(SIGKILL);
    if (strcmp(mode, "busy") == 0) {
        /* Take the client that made master start us, so that master does not start more. */
        struct pollfd pfd = { 6, POLLIN, 0 };
        if (poll(&pfd, 1, 5000) == 1)
            (void) accept(6, 0, 0);
        if (write(5, &status, sizeof(status)) != sizeof(status))
            return 3;
        sleep(60);
        return 0;
    }
    return 1;
}
