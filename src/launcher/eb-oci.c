/*
 * eb-oci: drives an OCI runtime (crun, runc) for edgebench's oci layer, timing each phase
 * with CLOCK_MONOTONIC and staying the parent of every container it starts.
 *
 * Containers started with `RUNTIME create` are orphaned when the runtime exits; eb-oci makes
 * itself a child subreaper (PR_SET_CHILD_SUBREAPER), so each container's init becomes its child:
 * it can wait4() for the exact exit (with rusage) and nothing is left as a zombie under a PID 1
 * that does not reap (as on our VMs).
 *
 *   eb-oci --runtime BIN [--root DIR] [--log FILE] cycle --bundle DIR --id-prefix P --runs N [--warmup W]
 *     Per run: create, start, wait for exit, delete. One line per run on stdout:
 *       <index> <w|m> <create_ns> <start_ns> <run_ns> <delete_ns> <status> <code> <maxrss_kb>
 *     run_ns is from `start` returning to the container's init exiting (wait4). status is
 *     exit|signal|createfail|startfail|deletefail; code is the exit code, signal or runtime exit code.
 *
 *   eb-oci --runtime BIN [--root DIR] [--log FILE] serve --bundle DIR
 *     Reads commands on stdin, one per line:  start ID BUNDLE  |  quit   (--bundle is the default BUNDLE)
 *     Prints: started ID PID CREATE_NS START_NS | failed ID create|start CODE | exited PID STATUS CODE
 *     On quit, EOF, SIGINT or SIGTERM: kills every container it started, deletes them, reaps them,
 *     prints "stopped N NS" and exits (0, or 128+signal).
 *
 * The runtime's stdout goes to /dev/null and its stderr to --log (appended; default /dev/null).
 * Exit status 2 on a usage error, with one line "eb-oci: <problem>" on stderr.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *g_runtime = NULL, *g_root = NULL, *g_log = "/dev/null", *g_bundle = NULL;
static volatile sig_atomic_t g_signal = 0;

static void on_signal(int sig) {
  if (g_signal == 0) g_signal = sig;
}

static void die_usage(const char *msg, const char *arg) {
  fprintf(stderr, "eb-oci: %s%s\n", msg, arg ? arg : "");
  exit(2);
}

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* Runs RUNTIME [--root R] args... and waits for it; returns its exit code (or 128+signal, or -errno). */
static int run_runtime(const char *a0, const char *a1, const char *a2, const char *a3, const char *a4, const char *a5) {
  const char *argv[12];
  int n = 0;
  argv[n++] = g_runtime;
  if (g_root) {
    argv[n++] = "--root";
    argv[n++] = g_root;
  }
  const char *rest[] = {a0, a1, a2, a3, a4, a5};
  for (int i = 0; i < 6 && rest[i]; i++) argv[n++] = rest[i];
  argv[n] = NULL;
  pid_t pid = fork();
  if (pid < 0) return -errno;
  if (pid == 0) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
    int in = open("/dev/null", O_RDONLY), out = open("/dev/null", O_WRONLY), err = open(g_log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in < 0 || out < 0 || err < 0) _exit(126);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
  }
  int st;
  while (waitpid(pid, &st, 0) < 0) {
    if (errno != EINTR) return -errno;
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}

static pid_t read_pid(const char *path) {
  FILE *f = fopen(path, "r");
  if (!f) return -1;
  long p = -1;
  if (fscanf(f, "%ld", &p) != 1) p = -1;
  fclose(f);
  return (pid_t)p;
}

/* Waits for a specific child, retrying on EINTR; on a pending signal, kills it first. */
static int wait_child(pid_t pid, int *status, struct rusage *ru) {
  for (;;) {
    pid_t r = wait4(pid, status, 0, ru);
    if (r == pid) return 0;
    if (r < 0 && errno == EINTR) {
      if (g_signal) kill(pid, SIGKILL);
      continue;
    }
    return -1;
  }
}

static void emit(const char *line) {
  size_t len = strlen(line);
  while (len > 0) {
    ssize_t n = write(1, line, len);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    line += n;
    len -= (size_t)n;
  }
}

static int cycle(const char *prefix, long long runs, long long warmup) {
  char id[256], pidfile[4096], line[512];
  snprintf(pidfile, sizeof pidfile, "%s/.eb-oci-pid", g_bundle);
  for (long long i = 0; i < warmup + runs && !g_signal; i++) {
    snprintf(id, sizeof id, "%s-%lld", prefix, i);
    unlink(pidfile);
    int64_t t0 = now_ns();
    int rc = run_runtime("create", "--bundle", g_bundle, "--pid-file", pidfile, id);
    int64_t t1 = now_ns();
    const char *phase = i < warmup ? "w" : "m";
    if (rc != 0) {
      run_runtime("delete", "-f", id, NULL, NULL, NULL);
      snprintf(line, sizeof line, "%lld %s %lld 0 0 0 createfail %d 0\n", i, phase, (long long)(t1 - t0), rc);
      emit(line);
      continue;
    }
    pid_t cpid = read_pid(pidfile);
    int64_t t2 = now_ns();
    rc = run_runtime("start", id, NULL, NULL, NULL, NULL);
    int64_t t3 = now_ns();
    if (rc != 0 || cpid <= 0) {
      if (cpid > 0) kill(cpid, SIGKILL);
      run_runtime("delete", "-f", id, NULL, NULL, NULL);
      if (cpid > 0) wait_child(cpid, &(int){0}, NULL);
      snprintf(line, sizeof line, "%lld %s %lld %lld 0 0 startfail %d 0\n", i, phase, (long long)(t1 - t0), (long long)(t3 - t2), rc);
      emit(line);
      continue;
    }
    int st = 0;
    struct rusage ru;
    memset(&ru, 0, sizeof ru);
    wait_child(cpid, &st, &ru);
    int64_t t4 = now_ns();
    rc = run_runtime("delete", id, NULL, NULL, NULL, NULL);
    int64_t t5 = now_ns();
    const char *status = WIFEXITED(st) ? "exit" : "signal";
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st);
    if (rc != 0) {
      run_runtime("delete", "-f", id, NULL, NULL, NULL);
      status = "deletefail";
      code = rc;
    }
    snprintf(line, sizeof line, "%lld %s %lld %lld %lld %lld %s %d %ld\n", i, phase, (long long)(t1 - t0), (long long)(t3 - t2), (long long)(t4 - t3),
             (long long)(t5 - t4), status, code, ru.ru_maxrss);
    emit(line);
  }
  return g_signal ? 128 + g_signal : 0;
}

struct started {
  char id[200];
  pid_t pid;
  int alive;
};

static void reap_some(struct started *s, size_t n, int block) {
  for (;;) {
    int st;
    pid_t p = waitpid(-1, &st, block ? 0 : WNOHANG);
    if (p <= 0) return;
    for (size_t i = 0; i < n; i++) {
      if (s[i].pid == p && s[i].alive) {
        s[i].alive = 0;
        char line[256];
        snprintf(line, sizeof line, "exited %d %s %d\n", (int)p, WIFEXITED(st) ? "exit" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
        emit(line);
      }
    }
    if (block) return;
  }
}

static int serve(void) {
  size_t cap = 1024, n = 0;
  struct started *s = calloc(cap, sizeof *s);
  char pidfile[4096], buf[4096], line[512];
  FILE *in = stdin;
  while (!g_signal && fgets(buf, sizeof buf, in)) {
    buf[strcspn(buf, "\r\n")] = 0;
    if (strcmp(buf, "quit") == 0) break;
    if (strncmp(buf, "start ", 6) != 0 || strlen(buf + 6) == 0) {
      snprintf(line, sizeof line, "error bad command\n");
      emit(line);
      continue;
    }
    char *id = buf + 6;
    char *sp = strchr(id, ' ');
    const char *bundle = g_bundle;
    if (sp) {
      *sp = 0;
      bundle = sp + 1;
    }
    if (strlen(id) >= sizeof s[0].id) {
      emit("error id too long\n");
      continue;
    }
    snprintf(pidfile, sizeof pidfile, "%s/.eb-oci-pid", bundle);
    if (n == cap) {
      cap *= 2;
      s = realloc(s, cap * sizeof *s);
      if (!s) return 3;
    }
    unlink(pidfile);
    int64_t t0 = now_ns();
    int rc = run_runtime("create", "--bundle", bundle, "--pid-file", pidfile, id);
    int64_t t1 = now_ns();
    if (rc != 0) {
      run_runtime("delete", "-f", id, NULL, NULL, NULL);
      snprintf(line, sizeof line, "failed %s create %d\n", id, rc);
      emit(line);
      continue;
    }
    pid_t cpid = read_pid(pidfile);
    snprintf(s[n].id, sizeof s[n].id, "%s", id);
    s[n].pid = cpid;
    s[n].alive = cpid > 0;
    n++;
    int64_t t2 = now_ns();
    rc = run_runtime("start", id, NULL, NULL, NULL, NULL);
    int64_t t3 = now_ns();
    if (rc != 0) {
      snprintf(line, sizeof line, "failed %s start %d\n", id, rc);
    } else {
      snprintf(line, sizeof line, "started %s %d %lld %lld\n", id, (int)cpid, (long long)(t1 - t0), (long long)(t3 - t2));
    }
    emit(line);
    reap_some(s, n, 0);
  }
  int64_t t0 = now_ns();
  for (size_t i = 0; i < n; i++)
    if (s[i].alive) kill(s[i].pid, SIGKILL);
  for (size_t i = 0; i < n; i++) run_runtime("delete", "-f", s[i].id, NULL, NULL, NULL);
  for (size_t i = 0; i < n; i++)
    while (s[i].alive) {
      int st;
      pid_t p = waitpid(s[i].pid, &st, 0);
      if (p == s[i].pid || (p < 0 && errno == ECHILD)) s[i].alive = 0;
    }
  reap_some(s, n, 0);
  snprintf(line, sizeof line, "stopped %zu %lld\n", n, (long long)(now_ns() - t0));
  emit(line);
  free(s);
  return g_signal ? 128 + g_signal : 0;
}

int main(int argc, char **argv) {
  int i = 1;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "--", 2) != 0) break;
    if (i + 1 >= argc) die_usage("missing value for ", a);
    if (strcmp(a, "--runtime") == 0) g_runtime = argv[++i];
    else if (strcmp(a, "--root") == 0) g_root = argv[++i];
    else if (strcmp(a, "--log") == 0) g_log = argv[++i];
    else die_usage("unknown option ", a);
  }
  if (!g_runtime) die_usage("--runtime is required", NULL);
  if (i >= argc) die_usage("name a mode: cycle or serve", NULL);
  const char *mode = argv[i++];
  const char *prefix = "eb";
  long long runs = 1, warmup = 0;
  for (; i < argc; i++) {
    const char *a = argv[i];
    if (i + 1 >= argc) die_usage("missing value for ", a);
    const char *v = argv[++i];
    if (strcmp(a, "--bundle") == 0) g_bundle = v;
    else if (strcmp(a, "--id-prefix") == 0) prefix = v;
    else if (strcmp(a, "--runs") == 0) runs = atoll(v);
    else if (strcmp(a, "--warmup") == 0) warmup = atoll(v);
    else die_usage("unknown option ", a);
  }
  if (!g_bundle && strcmp(mode, "cycle") == 0) die_usage("--bundle is required", NULL);
  if (!g_bundle) g_bundle = ".";
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) die_usage("cannot become a child subreaper", NULL);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: blocking waits return EINTR */
  sigaction(SIGINT, &sa, NULL);
  sigaction(SIGTERM, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);
  struct timespec res;
  clock_getres(CLOCK_MONOTONIC, &res);
  char hdr[200];
  snprintf(hdr, sizeof hdr, "# eb-oci 1 clock=CLOCK_MONOTONIC res_ns=%ld pid=%d\n", res.tv_nsec, (int)getpid());
  emit(hdr);
  if (strcmp(mode, "cycle") == 0) return cycle(prefix, runs, warmup);
  if (strcmp(mode, "serve") == 0) return serve();
  die_usage("unknown mode ", mode);
  return 2;
}
