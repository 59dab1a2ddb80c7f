/*
 * tlsload - ping-pong load generator for TLS echo servers (loopback only), the TLS
 * counterpart of ../shared/bench/echoload.c for the echo_tls_* workloads of bench/run.
 *
 * Each connection keeps exactly one message in flight: it writes SIZE bytes with
 * SSL_write, reads until all SIZE bytes have come back (verifying every byte) and
 * immediately writes the next message. One thread, one level-triggered epoll instance.
 * Every connection finishes its handshake (verifying the server's certificate against
 * CAFILE and the name "localhost") before the clock starts, so the figure is the
 * steady-state cost of TLS records, not of handshakes.
 *
 * Usage: tlsload -p PORT -A CAFILE [-c CONNS] [-s SIZE] [-d SECS] [-w SECS]
 *                [-S STALL_SECS] [-P SERVER_PID]
 *   -c connections (10)   -s message bytes (1024)   -d measured seconds (10)
 *   -w warm-up seconds (0)   -S stall limit in seconds (2)   -P server PID (CPU use)
 * The server is 127.0.0.1:PORT. The run ends by itself after warm-up + duration; a
 * watchdog alarm bounds it regardless (exit status 3).
 *
 * stdout (one line, echoload's fields without the latency percentiles):
 *   echo conns=C size=S secs=D requests=N rps=R MBps=X errors=E
 * stderr: a "tls" line (protocol and cipher of the first connection), a "cpu" line as
 * echoload's (client_pct, server_pct, server_faults_per_req) and diagnostics.
 * errors = corrupted echoes + failed connections + stalled connections. Exit status 0
 * on success, 1 if errors > 0 or nothing completed, 2 on usage or setup failure.
 *
 * Build (bench/setup does): gcc -O2 -Wall -o tlsload bench/tlsload.c -lssl -lcrypto
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PATTERN_SLACK 251     /* distinct payload offsets (prime), as echoload */
#define MAX_EVENTS 256
#define SETUP_SECS 10         /* bound on connecting and handshaking every connection */
#define MAX_REPORTED 5        /* diagnostics printed per error kind */

static size_t g_size = 1024;
static unsigned char *g_pattern; /* g_size + PATTERN_SLACK bytes */
static unsigned char *g_buf;     /* receive scratch, g_size bytes */
static int g_ep;
static uint64_t g_start_ns, g_end_ns; /* measured window [start, end) */
static uint64_t g_requests, g_mismatches, g_conn_errors, g_stalls;

typedef struct {
    int fd, id;
    SSL *ssl;
    int out_armed;            /* EPOLLOUT registered: the last SSL call wanted to write */
    int bad;                  /* the current echo had corrupted bytes */
    uint32_t seq;             /* requests started on this connection */
    size_t got;               /* bytes of the current request echoed back */
    int written;              /* the current request is fully written */
    const unsigned char *msg; /* current payload (a slice of g_pattern) */
    uint64_t t0;              /* start of the current request */
} conn_t;

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void conn_fail(conn_t *c, const char *what, const char *why) {
    if (g_conn_errors++ < MAX_REPORTED)
        fprintf(stderr, "tlsload: conn %d: %s: %s\n", c->id, what, why);
    epoll_ctl(g_ep, EPOLL_CTL_DEL, c->fd, NULL);
    close(c->fd);
    c->fd = -1;
}

/* Describes a failed SSL call: the OpenSSL error queue, errno, or a closed connection. */
static const char *ssl_why(int err) {
    static char text[256];
    unsigned long e = ERR_get_error();
    if (e) {
        ERR_error_string_n(e, text, sizeof text);
        ERR_clear_error();
        return text;
    }
    if (err == SSL_ERROR_SYSCALL && errno) return strerror(errno);
    return "connection closed by server";
}

static void arm_out(conn_t *c, int on) {
    if (c->out_armed == on) return;
    struct epoll_event ev = {.events = EPOLLIN | (on ? EPOLLOUT : 0), .data.ptr = c};
    epoll_ctl(g_ep, EPOLL_CTL_MOD, c->fd, &ev);
    c->out_armed = on;
}

/* Returns 1 when the call may be retried later (want read/write), 0 when c failed. */
static int ssl_retry(conn_t *c, int r, const char *what) {
    int err = SSL_get_error(c->ssl, r);
    if (err == SSL_ERROR_WANT_READ) return 1;
    if (err == SSL_ERROR_WANT_WRITE) { arm_out(c, 1); return 1; }
    conn_fail(c, what, ssl_why(err));
    return 0;
}

static void start_request(conn_t *c, uint64_t now) {
    /* Vary the payload per request and connection, so stale, reordered or
       cross-connection echoes are caught by the byte comparison. */
    c->seq++;
    c->msg = g_pattern + ((uint32_t)c->id * 37u + c->seq) % PATTERN_SLACK;
    c->got = 0;
    c->written = 0;
    c->bad = 0;
    c->t0 = now;
}

/* Writes the current request unless it is written; returns 0 while it is not. */
static int write_request(conn_t *c) {
    if (c->written) return 1;
    int r = SSL_write(c->ssl, c->msg, (int)g_size); /* all or nothing: no partial writes */
    if (r <= 0) {
        ssl_retry(c, r, "SSL_write");
        return 0;
    }
    c->written = 1;
    arm_out(c, 0);
    return 1;
}

/* Drives one connection as far as it can go without blocking: finish writing the current
   request, then read its echo; when complete, write the next one and wait for epoll (the
   reply cannot be there yet: one read system call fewer per request, as echoload). A TLS
   read may need a write and the reverse, so both are tried on every event. */
static void service(conn_t *c) {
    if (!write_request(c) && (c->fd < 0 || c->out_armed)) return;
    for (;;) {
        int r = SSL_read(c->ssl, g_buf, (int)(g_size - c->got));
        if (r <= 0) {
            ssl_retry(c, r, "SSL_read");
            return;
        }
        if (!c->bad && memcmp(g_buf, c->msg + c->got, (size_t)r) != 0) c->bad = 1;
        c->got += (size_t)r;
        if (c->got < g_size) continue;
        uint64_t now = now_ns();
        if (c->bad && g_mismatches++ < MAX_REPORTED)
            fprintf(stderr, "tlsload: conn %d: request %u: echoed bytes differ\n", c->id, c->seq);
        if (now >= g_start_ns && now < g_end_ns) g_requests++;
        if (now >= g_end_ns) return;
        start_request(c, now);
        write_request(c);
        return;
    }
}

static void on_alarm(int sig) {
    (void)sig;
    static const char msg[] = "tlsload: watchdog expired, aborting\n";
    (void)!write(2, msg, sizeof msg - 1);
    _exit(3);
}

/* A blocking connect and handshake (bounded by the watchdog), then non-blocking. */
static int open_conn(SSL_CTX *ctx, int port, conn_t *c) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    c->fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) < 0 ||
        connect(c->fd, (struct sockaddr *)&a, sizeof a) < 0) {
        fprintf(stderr, "tlsload: connect 127.0.0.1:%d (conn %d): %s\n", port, c->id, strerror(errno));
        return -1;
    }
    c->ssl = SSL_new(ctx);
    if (!c->ssl || !SSL_set_fd(c->ssl, c->fd) || !SSL_set_tlsext_host_name(c->ssl, "localhost") ||
        !SSL_set1_host(c->ssl, "localhost")) {
        fprintf(stderr, "tlsload: SSL setup (conn %d): %s\n", c->id, ssl_why(0));
        return -1;
    }
    int r = SSL_connect(c->ssl);
    if (r != 1) {
        fprintf(stderr, "tlsload: handshake (conn %d): %s\n", c->id, ssl_why(SSL_get_error(c->ssl, r)));
        return -1;
    }
    return fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
}

typedef struct { long long ticks, minflt; } pstat_t;

static int proc_stat(long pid, pstat_t *ps) { /* as echoload: utime+stime, minor faults */
    char path[64], buf[1024];
    snprintf(path, sizeof path, "/proc/%ld/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    long long minflt, ut, st;
    if (!p || sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %lld %*u %*u %*u %lld %lld", &minflt, &ut, &st) != 3)
        return -1;
    ps->minflt = minflt;
    ps->ticks = ut + st;
    return 0;
}

static double self_cpu_secs(void) {
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static void usage(void) {
    fprintf(stderr, "usage: tlsload -p PORT -A CAFILE [-c CONNS] [-s SIZE] [-d SECS] [-w WARMUP_SECS]\n"
                    "               [-S STALL_SECS] [-P SERVER_PID]\n"
                    "  the server is 127.0.0.1:PORT, verified as 'localhost' against CAFILE;\n"
                    "  defaults: -c 10 -s 1024 -d 10 -w 0 -S 2. One message in flight per connection.\n");
    exit(2);
}

static double arg_num(const char *s, double lo, double hi) {
    char *end;
    double v = strtod(s, &end);
    if (*s == 0 || *end || !(v >= lo && v <= hi)) usage();
    return v;
}

int main(int argc, char **argv) {
    const char *cafile = NULL;
    long port = -1, conns = 10, server_pid = 0;
    double secs = 10, warmup = 0, stall = 2;
    int opt;
    while ((opt = getopt(argc, argv, "p:A:c:s:d:w:S:P:")) != -1) {
        switch (opt) {
        case 'p': port = (long)arg_num(optarg, 1, 65535); break;
        case 'A': cafile = optarg; break;
        case 'c': conns = (long)arg_num(optarg, 1, 10000); break;
        case 's': g_size = (size_t)arg_num(optarg, 1, 16 << 20); break;
        case 'd': secs = arg_num(optarg, 0.1, 3600); break;
        case 'w': warmup = arg_num(optarg, 0, 3600); break;
        case 'S': stall = arg_num(optarg, 0.001, 3600); break;
        case 'P': server_pid = (long)arg_num(optarg, 1, 1 << 30); break;
        default: usage();
        }
    }
    if (port < 0 || !cafile || optind != argc) usage();

    signal(SIGALRM, on_alarm);
    alarm((unsigned)(SETUP_SECS + warmup + secs + 10));
    signal(SIGPIPE, SIG_IGN);

    SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
    if (!ctx || SSL_CTX_load_verify_locations(ctx, cafile, NULL) != 1) {
        fprintf(stderr, "tlsload: cannot load the CA file %s: %s\n", cafile, ssl_why(0));
        return 2;
    }
    SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
    SSL_CTX_set_mode(ctx, SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    SSL_CTX_set_read_ahead(ctx, 1); /* a record in one recv, not header and body in two */

    g_pattern = malloc(g_size + PATTERN_SLACK);
    g_buf = malloc(g_size);
    conn_t *cs = calloc((size_t)conns, sizeof *cs);
    g_ep = epoll_create1(EPOLL_CLOEXEC);
    if (!g_pattern || !g_buf || !cs || g_ep < 0) { perror("tlsload: setup"); return 2; }
    uint64_t x = 0x9E3779B97F4A7C15ull; /* xorshift, as echoload */
    for (size_t i = 0; i < g_size + PATTERN_SLACK; i++) {
        x ^= x << 13; x ^= x >> 7; x ^= x << 17;
        g_pattern[i] = (unsigned char)(x >> 32);
    }

    for (long i = 0; i < conns; i++) {
        cs[i].id = (int)i;
        if (open_conn(ctx, (int)port, &cs[i]) < 0) return 2;
    }
    fprintf(stderr, "tlsload: tls %s %s\n", SSL_get_version(cs[0].ssl), SSL_get_cipher_name(cs[0].ssl));

    uint64_t now = now_ns();
    g_start_ns = now + (uint64_t)(warmup * 1e9);
    g_end_ns = g_start_ns + (uint64_t)(secs * 1e9);
    for (long i = 0; i < conns; i++) {
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &cs[i]};
        if (epoll_ctl(g_ep, EPOLL_CTL_ADD, cs[i].fd, &ev) < 0) { perror("tlsload: epoll_ctl"); return 2; }
        start_request(&cs[i], now);
        write_request(&cs[i]);
    }

    /* CPU use (and server page faults) sampled at the edges of the measured window. */
    int measuring = 0, have_srv = server_pid > 0;
    double cpu0 = 0, cpu1 = 0;
    pstat_t srv0 = {0}, srv1 = {0};
    struct epoll_event evs[MAX_EVENTS];
    while ((now = now_ns()) < g_end_ns) {
        if (!measuring && now >= g_start_ns) {
            measuring = 1;
            cpu0 = self_cpu_secs();
            if (have_srv && proc_stat(server_pid, &srv0) < 0) have_srv = 0;
        }
        uint64_t until = measuring ? g_end_ns : g_start_ns;
        int ms = (int)((until - now + 999999) / 1000000);
        int n = epoll_wait(g_ep, evs, MAX_EVENTS, ms > 100 ? 100 : ms);
        if (n < 0 && errno != EINTR) { perror("tlsload: epoll_wait"); return 2; }
        for (int i = 0; i < n; i++) {
            conn_t *c = evs[i].data.ptr;
            if (c->fd >= 0) service(c);
        }
    }
    cpu1 = self_cpu_secs();
    if (have_srv && proc_stat(server_pid, &srv1) < 0) have_srv = 0;

    /* A request unanswered for longer than the stall limit is an error. */
    now = now_ns();
    for (long i = 0; i < conns; i++) {
        conn_t *c = &cs[i];
        if (c->fd < 0) continue;
        if (c->got < g_size && now - c->t0 > (uint64_t)(stall * 1e9) && g_stalls++ < MAX_REPORTED)
            fprintf(stderr, "tlsload: conn %d: request %u stalled (%zu/%zu echoed)\n", c->id, c->seq, c->got, g_size);
        close(c->fd); /* no close_notify: the servers see a reset or EOF, as with echoload */
    }

    uint64_t errors = g_mismatches + g_conn_errors + g_stalls;
    printf("echo conns=%ld size=%zu secs=%.3f requests=%llu rps=%.0f MBps=%.2f errors=%llu\n", conns, g_size, secs,
           (unsigned long long)g_requests, g_requests / secs, (double)g_requests * (double)g_size / secs / 1e6,
           (unsigned long long)errors);
    fflush(stdout);
    fprintf(stderr, "tlsload: cpu client_pct=%.1f", 100 * (cpu1 - cpu0) / secs);
    if (have_srv)
        fprintf(stderr, " server_pct=%.1f server_faults_per_req=%.2f",
                100.0 * (double)(srv1.ticks - srv0.ticks) / (double)sysconf(_SC_CLK_TCK) / secs,
                g_requests ? (double)(srv1.minflt - srv0.minflt) / (double)g_requests : 0.0);
    fputc('\n', stderr);
    if (errors)
        fprintf(stderr, "tlsload: errors: %llu corrupted echoes, %llu failed connections, %llu stalled\n",
                (unsigned long long)g_mismatches, (unsigned long long)g_conn_errors, (unsigned long long)g_stalls);
    if (g_requests == 0) {
        fprintf(stderr, "tlsload: no request completed in the measured window\n");
        return 1;
    }
    return errors ? 1 : 0;
}
