/*
 * http: a tiny static HTTP/1.1 server answering every GET with `200 ok\n` (keep-alive).
 *   http [port] [start-delay-ms] [drain-ms]
 * port: default $PORT, else 8080. start-delay-ms: sleep this long before listening (a slow-starting
 * replacement in rolling-update tests). drain-ms: after SIGTERM keep answering this long, each answer
 * with `Connection: close`, then exit 0 (default 0: exit at once).
 * Other methods get 405; a malformed request gets 400 and the connection is closed.
 * edgebench: native-only (wasi-libc has no socket API; WasmEdge's socket extension needs its own toolchain)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONN 1024
#define BUF 4096

struct conn {
  int fd;
  size_t len;
  char buf[BUF];
};

static volatile sig_atomic_t term_requested = 0;
static void on_term(int sig) { (void)sig; term_requested = 1; }

static long long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms) {
  struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L}, rem;
  while (nanosleep(&ts, &rem) != 0 && errno == EINTR && !term_requested) ts = rem;
}

static int write_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
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
        int fd = accept(ls, NULL, NULL);
        if (fd < 0) break;
        if (nconn >= MAX_CONN) { close(fd); continue; }
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
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
