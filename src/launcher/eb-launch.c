/*
 * eb-launch: a minimal-overhead process launcher for edgebench.
 *
 * Node's child_process adds about 1 ms to each spawn. That hides the start-up
 * cost of a native or Wasm process, which is what edgebench measures. This
 * helper runs PROGRAM repeatedly, measures each run itself and prints one line
 * per run on stdout.
 *
 *   eb-launch [--runs N] [--warmup W] [--stdin FILE] [--stdout FILE]
 *             [--stderr FILE] [--cwd DIR] [--timeout-ms MS]
 *             [--stderr-tail BYTES] -- PROGRAM [ARGS...]
 *
 * Output (protocol version 2; each line is written with one write(2), so a
 * killed launcher leaves only complete lines):
 *   # eb-launch 2 clock=CLOCK_MONOTONIC res_ns=<res> pid=<pid>
 *   # stderr <index> <hex>          (only with --stderr-tail, see below)
 *   <index> <phase> <wall_ns> <maxrss_kb> <status> <code> <utime_us> <stime_us>
 * index counts from 0 over warmup and measured runs. phase is w (warmup) or
 * m (measured). wall_ns is CLOCK_MONOTONIC from just before the spawn to just
 * after wait4() returns. status is exit|signal|execfail|timeout, and code is
 * the exit code, the signal number, the errno of the failed exec, or (timeout)
 * the limit in ms. maxrss and the CPU times come from the child's rusage (from
 * wait4).
 *
 * --timeout-ms MS (0 = none, the default): a run still going MS after its
 * spawn is killed with SIGKILL (ITIMER_REAL; the handler only kill(2)s) and
 * reported with status timeout. With a timeout each child runs in a process
 * group of its own (setpgid before exec: one more syscall inside the timed
 * interval), and the whole group is killed, so a shell's or runtime's own
 * children go with it.
 *
 * --stderr-tail BYTES (0 = off, the default; at most 65536; not with
 * --stderr): each run's stderr goes to an unlinked in-memory file (memfd, else
 * an unlinked file in /tmp), emptied before the run (outside the timed
 * interval); after a run that did not exit 0, its last BYTES of stderr are
 * printed, hex-encoded, on a "# stderr <index>" line just before the run's
 * line, so the harness can say why a run failed.
 *
 * Defaults: --runs 10, --warmup 0, stdin/stdout/stderr are /dev/null. Each
 * file is opened once, before the loop. stdout/stderr are truncated when
 * opened and then appended to by every run. The environment is passed through
 * unchanged. PROGRAM is looked up in PATH (execvp semantics).
 *
 * Exit status: 0 when the loop completes (even if children failed); 2 on a
 * usage error, with one line "eb-launch: <problem>" on stderr. On SIGTERM or
 * SIGINT (always handled, even if inherited as ignored) the signal is forwarded
 * to the running child. Once the child has been reaped, the launcher stops
 * without printing a line for that run and re-raises the signal on itself, so
 * no orphan is left behind.
 *
 * maxrss caveat: Linux counts the RSS of the address space that the child
 * had just before exec in its ru_maxrss. With vfork() that address space is
 * the launcher's, so ru_maxrss is never below the launcher's RSS: about
 * 0.65-0.8 MB for a static build and 1.4 MB for a dynamic one. GNU time and
 * hyperfine have the same floor.
 *
 * Spawn method: vfork() on Linux, fork() elsewhere. Build with -DEB_USE_VFORK=0
 * or =1 to choose. We measured this on a 2-core x86_64 Debian 12 VM (Linux
 * 6.x), with 3 rounds of 200 runs and 20 warmup runs of the static noop
 * fixture. On an idle machine the medians were 571-587 us with vfork(),
 * 634-664 us with fork() and 601-618 us with `hyperfine -N`. Under load they
 * were 616-627 us, 671-832 us and 681-827 us. (hyperfine uses Rust's Command,
 * which uses glibc posix_spawn, i.e. clone(CLONE_VM|CLONE_VFORK).) vfork() saves the page-table
 * copy and the COW faults of fork(), about 60-70 us per run. The vfork child
 * only makes raw syscalls (prctl, getppid, sigaction, sigprocmask, dup2,
 * chdir, execvp, write, _exit) and writes nothing to the parent's memory except
 * errno and its own locals. It sets the forwarded signals back to their
 * inherited disposition before it unblocks them, so our handler never runs in
 * the shared address space.
 * On Linux the child also sets PR_SET_PDEATHSIG=SIGKILL, so it dies even if
 * the launcher is SIGKILLed. An exec failure reaches the parent through an
 * O_CLOEXEC pipe: on a successful exec the write end closes and the parent
 * reads EOF. The parent reads the pipe only after wait4(), so the read is
 * outside the timed interval.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#if defined(__linux__)
#include <sys/prctl.h>
#include <sys/mman.h>
#endif

#ifndef EB_USE_VFORK
#if defined(__linux__)
#define EB_USE_VFORK 1
#else
#define EB_USE_VFORK 0
#endif
#endif

#define EB_PROTOCOL_VERSION 2

static volatile sig_atomic_t g_child = 0;   /* pid of the running child, 0 if none */
static volatile sig_atomic_t g_signal = 0;  /* first SIGTERM/SIGINT received */
static volatile sig_atomic_t g_timed_out = 0; /* SIGALRM killed the running child */

static void on_signal(int sig) {
  int saved = errno;
  if (g_signal == 0) g_signal = sig;
  pid_t c = (pid_t)g_child;
  if (c > 0) kill(c, sig);
  errno = saved;
}

/* --timeout-ms: the run's time is up; kill the child (reaped by the wait4 loop). */
static void on_alarm(int sig) {
  (void)sig;
  int saved = errno;
  pid_t c = (pid_t)g_child;
  if (c > 0) {
    g_timed_out = 1;
    if (kill(-c, SIGKILL) != 0) kill(c, SIGKILL);
  }
  errno = saved;
}

static void usage_error(const char *fmt, const char *arg) {
  fputs("eb-launch: ", stderr);
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  exit(2);
}

static long long parse_count(const char *opt, const char *s) {
  char *end = NULL;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (s[0] == '\0' || *end != '\0' || errno != 0 || v < 0 || v > 1000000000LL) {
    fprintf(stderr, "eb-launch: %s expects a non-negative integer, got '%s'\n", opt, s);
    exit(2);
  }
  return v;
}

/* write(2) the whole buffer, retrying on EINTR and partial writes. */
static int write_all(int fd, const char *buf, size_t len) {
  while (len > 0) {
    ssize_t n = write(fd, buf, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    buf += n;
    len -= (size_t)n;
  }
  return 0;
}

static int open_file(const char *path, int writing) {
  int flags = writing ? (O_WRONLY | O_CREAT | O_TRUNC | O_APPEND) : O_RDONLY;
  int fd = open(path, flags | O_CLOEXEC, 0644);
  if (fd < 0) {
    fprintf(stderr, "eb-launch: cannot open %s: %s\n", path, strerror(errno));
    exit(2);
  }
  return fd;
}

static inline int64_t ts_diff_ns(const struct timespec *a, const struct timespec *b) {
  return ((int64_t)b->tv_sec - (int64_t)a->tv_sec) * INT64_C(1000000000) +
         ((int64_t)b->tv_nsec - (int64_t)a->tv_nsec);
}

static inline int64_t tv_us(const struct timeval *tv) {
  return (int64_t)tv->tv_sec * INT64_C(1000000) + (int64_t)tv->tv_usec;
}

int main(int argc, char **argv) {
  long long runs = 10, warmup = 0;
  const char *in_path = "/dev/null", *out_path = "/dev/null", *err_path = "/dev/null";
  const char *cwd = NULL;
  long long timeout_ms = 0, tail_bytes = 0;
  int stderr_given = 0;

  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--") == 0) {
      i++;
      break;
    }
    if (strncmp(a, "--", 2) != 0) break; /* first non-option: PROGRAM */
    const char *val = NULL;
    const char *eq = strchr(a, '=');
    size_t nlen = eq ? (size_t)(eq - a) : strlen(a);
    static const char *const opts[] = {"--runs", "--warmup", "--stdin", "--stdout", "--stderr", "--cwd", "--timeout-ms", "--stderr-tail"};
    int which = -1;
    for (int k = 0; k < 8; k++) {
      if (strlen(opts[k]) == nlen && strncmp(a, opts[k], nlen) == 0) which = k;
    }
    if (which < 0) usage_error("unknown option '%s'", a);
    if (eq) {
      val = eq + 1;
    } else {
      if (i + 1 >= argc) usage_error("option %s needs a value", a);
      val = argv[++i];
    }
    switch (which) {
      case 0: runs = parse_count("--runs", val); break;
      case 1: warmup = parse_count("--warmup", val); break;
      case 2: in_path = val; break;
      case 3: out_path = val; break;
      case 4: err_path = val; stderr_given = 1; break;
      case 5: cwd = val; break;
      case 6: timeout_ms = parse_count("--timeout-ms", val); break;
      case 7: tail_bytes = parse_count("--stderr-tail", val); break;
    }
  }
  if (i >= argc) usage_error("%s", "missing PROGRAM (usage: eb-launch [options] -- PROGRAM [ARGS...])");
  char **prog_argv = &argv[i];
  if (tail_bytes > 65536) usage_error("%s", "--stderr-tail: at most 65536 bytes");
  if (tail_bytes > 0 && stderr_given) usage_error("%s", "--stderr-tail cannot be combined with --stderr");

  /* Make sure fds 0-2 exist, so the files opened below get fds >= 3 and the
   * child's dup2() calls cannot clobber one another. */
  for (int fd = 0; fd <= 2; fd++) {
    if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
      int n = open("/dev/null", O_RDWR);
      if (n >= 0 && n != fd) close(n);
    }
  }
  int child_fd[3];
  child_fd[0] = open_file(in_path, 0);
  child_fd[1] = open_file(out_path, 1);
  int tail_fd = -1;
  if (tail_bytes > 0) {
#if defined(__linux__) && defined(MFD_CLOEXEC)
    tail_fd = memfd_create("eb-launch-stderr", MFD_CLOEXEC);
#endif
    if (tail_fd < 0) {
      char tmpl[] = "/tmp/eb-launch-stderr-XXXXXX";
      tail_fd = mkostemp(tmpl, O_CLOEXEC);
      if (tail_fd >= 0) unlink(tmpl);
    }
    if (tail_fd < 0) {
      fprintf(stderr, "eb-launch: cannot create the stderr capture file: %s\n", strerror(errno));
      exit(2);
    }
    child_fd[2] = tail_fd;
  } else {
    child_fd[2] = open_file(err_path, 1);
  }
  char *tail_buf = NULL, *tail_line = NULL;
  if (tail_fd >= 0) {
    tail_buf = malloc((size_t)tail_bytes);
    tail_line = malloc((size_t)tail_bytes * 2 + 64);
    if (!tail_buf || !tail_line) {
      fputs("eb-launch: out of memory\n", stderr);
      return 1;
    }
  }
  if (timeout_ms > 0) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(SIGALRM, &sa, NULL);
  }

  if (cwd != NULL) {
    struct stat st;
    if (stat(cwd, &st) != 0 || !S_ISDIR(st.st_mode)) usage_error("--cwd: not a directory: %s", cwd);
  }

  /* Forward SIGTERM/SIGINT to the child. The child gets back the disposition
   * we inherited (SIG_DFL, or SIG_IGN e.g. under nohup or `cmd &` in a script). */
  enum { NFWD = 2 };
  static const int fwd_signals[NFWD] = {SIGTERM, SIGINT};
  int fwd_ignored[NFWD];
  sigset_t block_set, old_mask;
  sigemptyset(&block_set);
  for (int k = 0; k < NFWD; k++) {
    struct sigaction old, sa;
    sigaction(fwd_signals[k], NULL, &old);
    fwd_ignored[k] = old.sa_handler == SIG_IGN;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    sigaction(fwd_signals[k], &sa, NULL);
    sigaddset(&block_set, fwd_signals[k]);
  }
  sigprocmask(SIG_SETMASK, NULL, &old_mask);

  char line[256];
  struct timespec res = {0, 0};
  clock_getres(CLOCK_MONOTONIC, &res);
  int len = snprintf(line, sizeof line, "# eb-launch %d clock=CLOCK_MONOTONIC res_ns=%lld pid=%ld\n",
                     EB_PROTOCOL_VERSION, (long long)res.tv_sec * 1000000000LL + res.tv_nsec,
                     (long)getpid());
  if (write_all(1, line, (size_t)len) != 0) return 1;

  const pid_t self = getpid();
  const long long total = warmup + runs;
  for (long long idx = 0; idx < total && g_signal == 0; idx++) {
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
      fprintf(stderr, "eb-launch: pipe2: %s\n", strerror(errno));
      return 1;
    }

    struct timespec t0, t1;
    struct rusage ru;
    int wstatus = 0;
    if (tail_fd >= 0 && (ftruncate(tail_fd, 0) != 0 || lseek(tail_fd, 0, SEEK_SET) != 0)) {
      fprintf(stderr, "eb-launch: cannot empty the stderr capture file: %s\n", strerror(errno));
      return 1;
    }

    /* Block the forwarded signals while spawning, so g_child is set before
     * the handler can run. The child restores the original mask. */
    sigprocmask(SIG_BLOCK, &block_set, NULL);
    clock_gettime(CLOCK_MONOTONIC, &t0);
#if EB_USE_VFORK
    pid_t pid = vfork();
#else
    pid_t pid = fork();
#endif
    if (pid == 0) {
      /* Child: only async-signal-safe calls from here on. */
#if defined(__linux__)
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != self) _exit(127); /* launcher already gone */
#endif
      for (int k = 0; k < NFWD; k++) signal(fwd_signals[k], fwd_ignored[k] ? SIG_IGN : SIG_DFL);
      sigprocmask(SIG_SETMASK, &old_mask, NULL);
      if (timeout_ms > 0 && setpgid(0, 0) != 0) goto fail;
      for (int fd = 0; fd <= 2; fd++) {
        if (dup2(child_fd[fd], fd) < 0) goto fail;
      }
      if (cwd != NULL && chdir(cwd) != 0) goto fail;
      execvp(prog_argv[0], prog_argv);
    fail:;
      int e = errno;
      ssize_t w = write(pfd[1], &e, sizeof e);
      (void)w;
      _exit(127);
    }
    if (pid < 0) {
      int e = errno;
      sigprocmask(SIG_SETMASK, &old_mask, NULL);
      fprintf(stderr, "eb-launch: fork: %s\n", strerror(e));
      return 1;
    }
    if (timeout_ms > 0) (void)setpgid(pid, pid); /* fork(): the child may not have run yet; fails harmlessly after its exec */
    g_child = pid;
    g_timed_out = 0;
    sigprocmask(SIG_SETMASK, &old_mask, NULL);
    close(pfd[1]);
    if (timeout_ms > 0) {
      struct itimerval it;
      memset(&it, 0, sizeof it);
      it.it_value.tv_sec = (time_t)(timeout_ms / 1000);
      it.it_value.tv_usec = (suseconds_t)(timeout_ms % 1000) * 1000;
      setitimer(ITIMER_REAL, &it, NULL);
    }

    pid_t r;
    do {
      r = wait4(pid, &wstatus, 0, &ru);
    } while (r < 0 && errno == EINTR);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (timeout_ms > 0) {
      struct itimerval off;
      memset(&off, 0, sizeof off);
      setitimer(ITIMER_REAL, &off, NULL);
    }
    g_child = 0;
    /* Timed out only if our SIGKILL is what ended it (a child that exited at the deadline is a normal run). */
    const int timed_out = g_timed_out && r == pid && WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL;

    int exec_errno = 0;
    ssize_t n;
    do {
      n = read(pfd[0], &exec_errno, sizeof exec_errno);
    } while (n < 0 && errno == EINTR);
    close(pfd[0]);

    if (r < 0) {
      fprintf(stderr, "eb-launch: wait4: %s\n", strerror(errno));
      return 1;
    }
    if (g_signal != 0) break; /* interrupted run: not a sample */

    const char *status;
    int code;
    if (n == (ssize_t)sizeof exec_errno) {
      status = "execfail";
      code = exec_errno;
    } else if (timed_out) {
      status = "timeout";
      code = (int)timeout_ms;
    } else if (WIFSIGNALED(wstatus)) {
      status = "signal";
      code = WTERMSIG(wstatus);
    } else {
      status = "exit";
      code = WEXITSTATUS(wstatus);
    }
    if (tail_fd >= 0 && !(strcmp(status, "exit") == 0 && code == 0)) {
      off_t size = lseek(tail_fd, 0, SEEK_END);
      if (size > 0) {
        size_t want = (size_t)(size < (off_t)tail_bytes ? size : (off_t)tail_bytes);
        ssize_t got = pread(tail_fd, tail_buf, want, size - (off_t)want);
        if (got > 0) {
          static const char hexd[] = "0123456789abcdef";
          int h = snprintf(tail_line, 64, "# stderr %lld ", idx);
          for (ssize_t k = 0; k < got; k++) {
            tail_line[h++] = hexd[((unsigned char)tail_buf[k]) >> 4];
            tail_line[h++] = hexd[((unsigned char)tail_buf[k]) & 15];
          }
          tail_line[h++] = '\n';
          if (write_all(1, tail_line, (size_t)h) != 0) return 1;
        }
      }
    }
    len = snprintf(line, sizeof line, "%lld %c %lld %ld %s %d %lld %lld\n", idx,
                   idx < warmup ? 'w' : 'm', (long long)ts_diff_ns(&t0, &t1), (long)ru.ru_maxrss,
                   status, code, (long long)tv_us(&ru.ru_utime), (long long)tv_us(&ru.ru_stime));
    if (write_all(1, line, (size_t)len) != 0) return 1;
  }

  if (g_signal != 0) {
    int sig = (int)g_signal;
    signal(sig, SIG_DFL);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, sig);
    sigprocmask(SIG_UNBLOCK, &s, NULL);
    raise(sig);
    return 128 + sig;
  }
  return 0;
}
