/*
 * http: a tiny static HTTP/1.1 server answering every GET with `200 ok\n` (keep-alive).
 *   http [port] [start-delay-ms] [drain-ms]
 * port: default $PORT, else 8080. start-delay-ms: sleep this long before listening (a slow-starting
 * replacement in rolling-update tests). drain-ms: after SIGTERM keep answering this long, each answer
 * with `Connection: close`, then exit 0 (default 0: exit at once).
 * Other methods get 405; a malformed request gets 400 and the connection is closed.
 *
 * The same source builds to wasm32-wasi. wasi-libc (WASI preview1) has no socket(), bind() or listen(), so the
 * Wasm build declares WasmEdge's socket host functions itself (imports from wasi_snapshot_preview1, below) and
 * runs only where they exist: WasmEdge, and crun/containerd using WasmEdge. WASI has no signals, so the Wasm
 * build never sees SIGTERM and drain-ms has no effect there (see wasm-fixtures/README.md).
 */
#if defined(__wasi__)
#include <stdint.h>
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <sys/socket.h>
#endif
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#if defined(__wasi__)
/*
 * WasmEdge's socket ABI (WasmEdge 0.14.1: include/host/wasi/wasifunc.h declares the bodies, lib/host/wasi/
 * wasimodule.cpp registers them in "wasi_snapshot_preview1"). Every call returns a WASI errno (0 = success).
 * sock_open(u32 address_family, u32 sock_type, u32 *fd_out)            address family inet4 = 1, stream = 2
 * sock_setsockopt(i32 fd, u32 level, u32 name, u32 *flag, u32 flag_len) level SOL_SOCKET = 0, SO_REUSEADDR = 0
 * sock_bind(i32 fd, u32 *address, u32 port)     address -> {u32 buf, u32 buf_len}; buf_len 4 is IPv4
 * sock_listen(i32 fd, i32 backlog)
 * sock_accept(i32 fd, u32 fdflags, u32 *fd_out) the WASI preview1 form; WasmEdge binds it to sock_accept_v2
 * sock_send(i32 fd, u32 *ciovec, u32 ciovec_len, u32 siflags, u32 *sent_out)
 * Replies go through sock_send, not write(): WasmEdge sends with MSG_NOSIGNAL there, while its fd_write is a
 * plain writev() that would raise SIGPIPE in (and kill) the runtime when a client has gone.
 */
#define EB_WASMEDGE(name) __attribute__((import_module("wasi_snapshot_preview1"), import_name(name)))
struct eb_address {
  uint8_t *buf;
  uint32_t buf_len;
};
struct eb_ciovec {
  const void *buf;
  uint32_t buf_len;
};
_Static_assert(sizeof(struct eb_address) == 8 && sizeof(struct eb_ciovec) == 8, "wasm32: {u32 ptr, u32 len}");
EB_WASMEDGE("sock_open") uint32_t eb_sock_open(uint32_t af, uint32_t type, int32_t *fd);
EB_WASMEDGE("sock_setsockopt") uint32_t eb_sock_setsockopt(int32_t fd, uint32_t level, uint32_t name, const int32_t *flag, uint32_t flag_len);
EB_WASMEDGE("sock_bind") uint32_t eb_sock_bind(int32_t fd, const struct eb_address *addr, uint32_t port);
EB_WASMEDGE("sock_listen") uint32_t eb_sock_listen(int32_t fd, int32_t backlog);
EB_WASMEDGE("sock_accept") uint32_t eb_sock_accept(int32_t fd, uint32_t fdflags, int32_t *fd_out);
EB_WASMEDGE("sock_send") uint32_t eb_sock_send(int32_t fd, const struct eb_ciovec *data, uint32_t data_len, uint32_t siflags, uint32_t *sent);
#define EB_INET4 1
#define EB_SOCK_STREAM 2
#define EB_SOL_SOCKET 0
#define EB_SO_REUSEADDR 0

/* wasi-libc's poll() keeps two arrays of (2 * nfds + 1) entries of up to 48 bytes on the 64 KiB Wasm stack. */
#define MAX_CONN 256
#else
#define MAX_CONN 1024
#endif
#define BUF 4096

struct conn {
  int fd;
  size_t len;
  char buf[BUF];
};

#if defined(__wasi__)
static const int term_requested = 0; /* WASI delivers no signals: the module cannot see SIGTERM */
#else
static volatile sig_atomic_t term_requested = 0;
static void on_term(int sig) { (void)sig; term_requested = 1; }
#endif

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR && !term_requested) ts = rem;
}

#if defined(__wasi__)
/* write() on a socket, through sock_send (see above: no SIGPIPE in the runtime). */
static ssize_t send_some(int fd, const char *p, size_t n) {
  struct eb_ciovec iov = {p, (uint32_t)n};
  uint32_t sent = 0;
  uint32_t err = eb_sock_send(fd, &iov, 1, 0, &sent);
  if (err != 0) { errno = (int)err; return -1; } /* wasi-libc's errno values are WASI's */
  return (ssize_t)sent;
}

/* socket + SO_REUSEADDR + bind 0.0.0.0:port + listen, through WasmEdge's socket ABI; -1 with errno set. */
static int listen_tcp(long port) {
  int32_t ls = -1;
  uint32_t err = eb_sock_open(EB_INET4, EB_SOCK_STREAM, &ls);
  if (err != 0) { errno = (int)err; fprintf(stderr, "http: sock_open: %s\n", strerror(errno)); return -1; }
  int32_t one = 1;
  eb_sock_setsockopt(ls, EB_SOL_SOCKET, EB_SO_REUSEADDR, &one, sizeof one);
  uint8_t any[4] = {0, 0, 0, 0};
  struct eb_address addr = {any, sizeof any};
  if ((err = eb_sock_bind(ls, &addr, (uint32_t)port)) != 0) { errno = (int)err; fprintf(stderr, "http: sock_bind: %s\n", strerror(errno)); return -1; }
  if ((err = eb_sock_listen(ls, 512)) != 0) { errno = (int)err; fprintf(stderr, "http: sock_listen: %s\n", strerror(errno)); return -1; }
  return ls;
}

/* accept() on a non-blocking listening socket: the new fd, or -1 (EAGAIN when none is waiting). */
static int accept_one(int ls) {
  int32_t fd = -1;
  uint32_t err = eb_sock_accept(ls, 0, &fd);
  if (err != 0) { errno = (int)err; return -1; }
  return fd;
}
#else
#define send_some(fd, p, n) write(fd, p, n)
#endif

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = send_some(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN) { struct pollfd pf = {fd, POLLOUT, 0}; poll(&pf, 1, 1000); continue; }
      return -1;
    }
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

/* Answers every complete request in c->buf; returns 0 to keep the connection, -1 to close it. */
static int serve_requests(struct conn *c, int closing) {
  for (;;) {
    char *end = NULL;
    for (size_t i = 0; i + 3 < c->len; i++) {
      if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) { end = c->buf + i + 4; break; }
    }
    if (!end) return c->len >= BUF ? -1 : 0;
    int is_get = c->len >= 4 && memcmp(c->buf, "GET ", 4) == 0;
    int wants_close = 0;
    for (char *p = c->buf; p + 17 <= end; p++) {
      if (strncasecmp(p, "connection: close", 17) == 0) { wants_close = 1; break; }
    }
    int close_after = closing || wants_close;
    char resp[256];
    int n;
    if (is_get) {
      n = snprintf(resp, sizeof resp, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 3\r\nConnection: %s\r\n\r\nok\n", close_after ? "close" : "keep-alive");
    } else {
      close_after = 1;
      n = snprintf(resp, sizeof resp, "HTTP/1.1 %s\r\nContent-Length: 0\r\nConnection: close\r\n\r\n", (c->buf[0] >= 'A' && c->buf[0] <= 'Z') ? "405 Method Not Allowed" : "400 Bad Request");
    }
    if (write_all(c->fd, resp, (size_t)n) != 0) return -1;
    size_t used = (size_t)(end - c->buf);
    memmove(c->buf, end, c->len - used);
    c->len -= used;
    if (close_after) return -1;
  }
}

int main(int argc, char **argv) {
  const char *env_port = getenv("PORT");
  long port = argc > 1 ? strtol(argv[1], NULL, 10) : env_port ? strtol(env_port, NULL, 10) : 8080;
  long delay = argc > 2 ? strtol(argv[2], NULL, 10) : 0;
  long drain = argc > 3 ? strtol(argv[3], NULL, 10) : 0;
  if (port <= 0 || port > 65535) { fprintf(stderr, "http: bad port %ld\n", port); return 2; }
#if defined(__wasi__)
  (void)drain;
  if (delay > 0) sleep_ms(delay);
  int ls = listen_tcp(port);
  if (ls < 0) return 1;
#else
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  if (delay > 0) sleep_ms(delay);
  if (term_requested) return 0;

  int ls = socket(AF_INET, SOCK_STREAM, 0);
  if (ls < 0) { perror("http: socket"); return 1; }
  int one = 1;
  setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(ls, (struct sockaddr *)&addr, sizeof addr) != 0) { perror("http: bind"); return 1; }
  if (listen(ls, 512) != 0) { perror("http: listen"); return 1; }
#endif
  fcntl(ls, F_SETFL, O_NONBLOCK);

  static struct conn conns[MAX_CONN];
  static struct pollfd pfds[MAX_CONN + 1];
  int nconn = 0;
  long long drain_until = -1;
  for (;;) {
    if (term_requested && drain_until < 0) {
      if (drain <= 0) break;
      drain_until = now_ms() + drain;
    }
    if (drain_until >= 0 && now_ms() >= drain_until) break;
    pfds[0].fd = ls;
    pfds[0].events = POLLIN;
    for (int i = 0; i < nconn; i++) { pfds[i + 1].fd = conns[i].fd; pfds[i + 1].events = POLLIN; pfds[i + 1].revents = 0; }
    int r = poll(pfds, (nfds_t)nconn + 1, 100);
    if (r < 0) { if (errno == EINTR) continue; perror("http: poll"); return 1; }
    int closing = drain_until >= 0;
    for (int i = nconn - 1; i >= 0; i--) {
      if (!pfds[i + 1].revents) continue;
      struct conn *c = &conns[i];
      ssize_t got = read(c->fd, c->buf + c->len, BUF - c->len);
      int drop = 0;
      if (got <= 0) drop = !(got < 0 && (errno == EINTR || errno == EAGAIN));
      else { c->len += (size_t)got; drop = serve_requests(c, closing) != 0; }
      if (drop) {
        close(c->fd);
        conns[i] = conns[nconn - 1];
        nconn--;
      }
    }
    if (pfds[0].revents & POLLIN) {
      for (;;) {
#if defined(__wasi__)
        int fd = accept_one(ls); /* no TCP_NODELAY: WasmEdge's sock_setsockopt knows only SOL_SOCKET options */
        if (fd < 0) break;
        if (nconn >= MAX_CONN) { close(fd); continue; }
#else
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) break;
        if (nconn >= MAX_CONN) { close(fd); continue; }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
#endif
        conns[nconn].fd = fd;
        conns[nconn].len = 0;
        nconn++;
      }
    }
  }
  for (int i = 0; i < nconn; i++) close(conns[i].fd);
  close(ls);
  return 0;
}
