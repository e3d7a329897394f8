/*
 * attr_driver - runs the reference Postfix attribute codecs (libpostfix-util.so) on lists
 * given on the command line, for the differential tests in attr_codec.diff.test.ts.
 * Our own test driver: it declares the few library entry points it calls instead of
 * including Postfix headers, which CI does not have.
 *
 * Usage: attr_driver print|scan 0|64|plain VERBOSE GROUP [-- GROUP]...
 * A print GROUP is FLAGS ITEM... with ITEM one of i:NAME:NUM l:NAME:NUM s:NAME:VALUE
 * d:NAME:VALUE h:KEY=VALUE,... ; it writes the encoded bytes to standard output.
 * A scan GROUP is FLAGS ITEM... (ITEM i:NAME l:NAME s:NAME d:NAME q:NAME:VALUE h) or the
 * word "more"; it reads standard input and reports "count N" and one line per value.
 * NAME, VALUE, KEY are hex-encoded bytes (empty = empty string). Diagnostics go to stderr.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

typedef struct VSTREAM VSTREAM;
typedef struct VSTRING VSTRING;
typedef struct HTABLE HTABLE;
typedef struct { char *key; void *value; } ENTRY_HEAD;	/* leading members of HTABLE_INFO */

extern int msg_verbose;
extern void msg_vstream_init(const char *, VSTREAM *);
extern VSTREAM *vstream_fdopen(int, int);
extern int vstream_fflush(VSTREAM *);
extern int vstream_control(VSTREAM *, int, ...);
extern VSTRING *vstring_alloc(ssize_t);
extern HTABLE *htable_create(ssize_t);
extern void *htable_enter(HTABLE *, const char *, void *);
extern ENTRY_HEAD **htable_list(HTABLE *);
typedef int (*CODEC_FN) (VSTREAM *, int, ...);
typedef int (*MORE_FN) (VSTREAM *);
extern int attr_print0(VSTREAM *, int, ...), attr_print64(VSTREAM *, int, ...), attr_print_plain(VSTREAM *, int, ...);
extern int attr_scan0(VSTREAM *, int, ...), attr_scan64(VSTREAM *, int, ...), attr_scan_plain(VSTREAM *, int, ...);
extern int attr_scan_more0(VSTREAM *), attr_scan_more64(VSTREAM *), attr_scan_more_plain(VSTREAM *);

#define MAX_SLOTS 200
#define CTL_END 0
#define CTL_PATH 3

/* VSTRING is a VBUF: int flags, then data pointer (offset 8) ... write pointer (offset 32). */
static unsigned char *vs_data(VSTRING *vp) { return *(unsigned char **) ((char *) vp + 8); }
static size_t vs_len(VSTRING *vp) { return *(unsigned char **) ((char *) vp + 32) - vs_data(vp); }

static char *unhex(const char *hex, size_t *lenp)
{
    size_t  len = strlen(hex) / 2;
    char   *out = malloc(len + 1);
    for (size_t i = 0; i < len; i++) {
	unsigned v;
	sscanf(hex + 2 * i, "%2x", &v);
	out[i] = (char) v;
    }
    out[len] = 0;
    if (lenp)
	*lenp = len;
    return out;
}

static void puthex(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len; i++)
	printf("%02x", p[i]);
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp((*(ENTRY_HEAD **) a)->key, (*(ENTRY_HEAD **) b)->key);
}

int     main(int argc, char **argv)
{
    int     scan = strcmp(argv[1], "scan") == 0;
    const char *enc = argv[2];
    CODEC_FN fn = scan ? (enc[0] == '0' ? attr_scan0 : enc[0] == '6' ? attr_scan64 : attr_scan_plain)
	: (enc[0] == '0' ? attr_print0 : enc[0] == '6' ? attr_print64 : attr_print_plain);
    MORE_FN more = enc[0] == '0' ? attr_scan_more0 : enc[0] == '6' ? attr_scan_more64 : attr_scan_more_plain;
    VSTREAM *in = vstream_fdopen(0, O_RDONLY);
    VSTREAM *out = vstream_fdopen(1, O_WRONLY);
    int     i = 4;

    msg_vstream_init("attr_driver", vstream_fdopen(2, O_WRONLY));
    msg_verbose = atoi(argv[3]);
    vstream_control(in, CTL_PATH, "test input", CTL_END);
    while (i < argc) {
	intptr_t slot[MAX_SLOTS] = {0};
	void   *val[MAX_SLOTS];
	char    kind[MAX_SLOTS];
	int     nval = 0, n = 0, flags;

	if (strcmp(argv[i], "more") == 0) {
	    fflush(stdout);
	    printf("more %d\n", more(in));
	    i += 2;
	    continue;
	}
	flags = atoi(argv[i++]);
	for (; i < argc && strcmp(argv[i], "--") != 0; i++) {
	    char   *item = strdup(argv[i]);
	    char   *name = item + 2;
	    char   *arg = strchr(name, ':');
	    if (arg)
		*arg++ = 0;
	    switch (item[0]) {
	    case 'i': case 'l': case 's': case 'd': case 'q':
		slot[n++] = item[0] == 'i' ? 1 : item[0] == 'l' ? 4 : item[0] == 's' ? 2 : item[0] == 'd' ? 5 : 7;
		slot[n++] = (intptr_t) unhex(name, 0);
		if (!scan && item[0] == 'i') {
		    slot[n++] = (intptr_t) (int) strtol(arg, 0, 10);
		} else if (!scan && item[0] == 'l') {
		    slot[n++] = (intptr_t) strtol(arg, 0, 10);
		} else if (!scan && item[0] == 'd') {
		    size_t  len;
		    char   *data = unhex(arg, &len);
		    slot[n++] = (intptr_t) len;
		    slot[n++] = (intptr_t) data;
		} else if (!scan || item[0] == 'q') {
		    slot[n++] = (intptr_t) unhex(arg, 0);
		} else {
		    kind[nval] = item[0];
		    val[nval] = item[0] == 'i' ? calloc(1, sizeof(int)) : item[0] == 'l' ? calloc(1, sizeof(long))
			: (void *) vstring_alloc(10);
		    slot[n++] = (intptr_t) val[nval++];
		}
		break;
	    case 'h':{
		    HTABLE *table = htable_create(10);
		    slot[n++] = 3;
		    slot[n++] = (intptr_t) table;
		    if (scan) {
			kind[nval] = 'h';
			val[nval++] = table;
		    } else {
			for (char *kv = strtok(item + 2, ","); kv; kv = strtok(0, ",")) {
			    char   *eq = strchr(kv, '=');
			    *eq = 0;
			    htable_enter(table, unhex(kv, 0), unhex(eq + 1, 0));
			}
		    }
		    break;
		}
	    }
	}
	i++;					/* skip "--" */
	if (!scan) {
	    fn(out, flags, slot[0], slot[1], slot[2], slot[3], slot[4], slot[5], slot[6], slot[7], slot[8],
	       slot[9], slot[10], slot[11], slot[12], slot[13], slot[14], slot[15], slot[16], slot[17],
	       slot[18], slot[19], slot[20], slot[21], slot[22], slot[23], slot[24], slot[25], slot[26],
	       slot[27], slot[28], slot[29], slot[30], slot[31], slot[32], slot[33], slot[34], slot[35]);
	    vstream_fflush(out);
	    continue;
	}
	int     count = fn(in, flags, slot[0], slot[1], slot[2], slot[3], slot[4], slot[5], slot[6], slot[7],
			   slot[8], slot[9], slot[10], slot[11], slot[12], slot[13], slot[14], slot[15],
			   slot[16], slot[17], slot[18], slot[19], slot[20], slot[21], slot[22], slot[23],
			   slot[24], slot[25], slot[26], slot[27], slot[28], slot[29], slot[30], slot[31]);
	printf("count %d\n", count);
	for (int v = 0; count >= 0 && v < nval; v++) {
	    switch (kind[v]) {
	    case 'i':
		printf("i %d\n", *(int *) val[v]);
		break;
	    case 'l':
		printf("l %ld\n", *(long *) val[v]);
		break;
	    case 's': case 'd':
		printf("%c ", kind[v]);
		puthex(vs_data(val[v]), kind[v] == 's' ? strlen((char *) vs_data(val[v])) : vs_len(val[v]));
		printf("\n");
		break;
	    case 'h':{
		    ENTRY_HEAD **list = htable_list(val[v]);
		    size_t  len = 0;
		    while (list[len])
			len++;
		    qsort(list, len, sizeof(*list), cmp_entry);
		    printf("h");
		    for (size_t e = 0; e < len; e++) {
			printf(" ");
			puthex((unsigned char *) list[e]->key, strlen(list[e]->key));
			printf("=");
			puthex((unsigned char *) list[e]->value, strlen(list[e]->value));
		    }
		    printf("\n");
		    break;
		}
	    }
	}
	fflush(stdout);
    }
    return (0);
}
