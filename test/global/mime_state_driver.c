/*
 * mime_state_driver - runs a message through the reference Postfix MIME state machine
 * (libpostfix-global.so), for the differential test in mime_state.diff.test.ts.
 * Our own test driver: it declares the few library entry points it calls instead of
 * including Postfix headers, which CI does not have.
 *
 * Usage: mime_state_driver FLAGS HEADER_LIMIT MAX_DEPTH BOUND_LEN RECLEN VERBOSE
 * The message comes on standard input. Lines become REC_TYPE_NORM records; a line
 * longer than RECLEN (when RECLEN > 0) is cut into REC_TYPE_CONT records of RECLEN bytes
 * first. A REC_TYPE_END record follows. Each callback prints one event:
 *   HEAD <class> <name or -> <offset> <length>:<bytes>
 *   HEADEND
 *   BODY <record type> <offset> <length>:<bytes>
 *   BODYEND
 *   ERR <error type> <length>:<bytes>
 * and the end: "RESULT <error flags> <most serious error text or ->".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct VSTREAM VSTREAM;
typedef struct VSTRING VSTRING;
typedef struct MIME_STATE MIME_STATE;
typedef struct { const char *name; int type; int flags; } HEADER_OPTS;
typedef struct { const int code; const char *dsn; const char *text; } MIME_STATE_DETAIL;
typedef void (*HEAD_OUT_FN) (void *, int, const HEADER_OPTS *, VSTRING *, off_t);
typedef void (*BODY_OUT_FN) (void *, int, const char *, ssize_t, off_t);
typedef void (*ANY_END_FN) (void *);
typedef void (*ERR_PRINT_FN) (void *, int, const char *, ssize_t);

extern int msg_verbose;
extern int var_header_limit, var_mime_maxdepth, var_mime_bound_len;
extern char *var_drop_hdrs;
extern VSTREAM *vstream_fdopen(int, int);
extern void msg_vstream_init(const char *, VSTREAM *);
extern MIME_STATE *mime_state_alloc(int, HEAD_OUT_FN, ANY_END_FN, BODY_OUT_FN, ANY_END_FN, ERR_PRINT_FN, void *);
extern int mime_state_update(MIME_STATE *, int, const char *, ssize_t);
extern MIME_STATE *mime_state_free(MIME_STATE *);
extern const MIME_STATE_DETAIL *mime_state_detail(int);

#define REC_TYPE_NORM	'N'
#define REC_TYPE_CONT	'L'
#define REC_TYPE_END	'E'

/* VSTRING is a VBUF: int flags, then data pointer (offset 8) ... write pointer (offset 32). */
static unsigned char *vs_data(VSTRING *vp) { return *(unsigned char **) ((char *) vp + 8); }
static size_t vs_len(VSTRING *vp) { return *(unsigned char **) ((char *) vp + 32) - vs_data(vp); }

static void bytes(const void *data, size_t len)
{
    printf("%zu:", len);
    fwrite(data, 1, len, stdout);
    putchar('\n');
}

static void head_out(void *ctx, int class, const HEADER_OPTS *info, VSTRING *buf, off_t offset)
{
    printf("HEAD %d %s %lld ", class, info ? info->name : "-", (long long) offset);
    bytes(vs_data(buf), vs_len(buf));
}

static void head_end(void *ctx)
{
    printf("HEADEND\n");
}

static void body_out(void *ctx, int type, const char *text, ssize_t len, off_t offset)
{
    printf("BODY %c %lld ", type, (long long) offset);
    bytes(text, len);
}

static void body_end(void *ctx)
{
    printf("BODYEND\n");
}

static void err_print(void *ctx, int type, const char *text, ssize_t len)
{
    printf("ERR %d ", type);
    bytes(text, len);
}

int     main(int argc, char **argv)
{
    MIME_STATE *state;
    char   *input = 0;
    size_t  size = 0;
    size_t  len = 0;
    size_t  n;
    size_t  start;
    size_t  reclen;
    int     errs = 0;
    char    chunk[65536];

    if (argc != 7) {
        fprintf(stderr, "usage: %s flags header_limit max_depth bound_len reclen verbose\n", argv[0]);
        return 2;
    }
    msg_vstream_init("mime_state_driver", vstream_fdopen(2, 1));
    var_header_limit = atoi(argv[2]);
    var_mime_maxdepth = atoi(argv[3]);
    var_mime_bound_len = atoi(argv[4]);
    reclen = atoi(argv[5]);
    msg_verbose = atoi(argv[6]);
    var_drop_hdrs = "bcc, content-length, resent-bcc, return-path";
    while ((n = fread(chunk, 1, sizeof(chunk), stdin)) > 0) {
        if (len + n > size)
            input = realloc(input, size = (len + n) * 2);
        memcpy(input + len, chunk, n);
        len += n;
    }
    state = mime_state_alloc(atoi(argv[1]), head_out, head_end, body_out, body_end, err_print, 0);
    for (start = 0; start < len;) {
        char   *nl = memchr(input + start, '\n', len - start);
        size_t  end = nl ? (size_t) (nl - input) : len;

        while (reclen > 0 && end - start > reclen) {
            errs = mime_state_update(state, REC_TYPE_CONT, input + start, reclen);
            start += reclen;
        }
        errs = mime_state_update(state, REC_TYPE_NORM, input + start, end - start);
        start = end + 1;
    }
    errs = mime_state_update(state, REC_TYPE_END, "", 0);
    printf("RESULT %d %s\n", errs, errs ? mime_state_detail(errs)->text : "-");
    mime_state_free(state);
    return 0;
}
