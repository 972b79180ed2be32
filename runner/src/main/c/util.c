/* jsing-starter: generic helpers that know nothing of the launch plan: the one-line messages and fatal() with its
   cleanup, allocation helpers, rm -rf, and the scan of /proc for a mount namespace's processes. */

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "starter.h"

bool debug = false;
const char *fatal_cleanup_dir = NULL;

/* The process whose fatal() removes fatal_cleanup_dir and exit()s: the starter, or with --pid its child that builds
   the container. A forked helper (squashfuse daemon, watcher, holder, subid mapper) shares the parent's memory image
   but not its state on disk: its fatal() must neither remove the parent's files nor run the parent's exit handlers
   and flush its stdio buffers a second time, so it only prints and _exit()s. */
static pid_t fatal_owner = -1;

/* This process owns fatal()'s cleanup from now on. */
void fatal_owner_set(void)
{
   fatal_owner = getpid();
}

void fatal(int code, int errnum, const char *file, int line, const char *fmt, ...)
{
   va_list ap;
   char msg[1024];
   va_start(ap, fmt);
   vsnprintf(msg, sizeof(msg), fmt, ap);
   va_end(ap);
   /* The source file's name only: a user-facing line never shows the build machine's paths. */
   const char *base = strrchr(file, '/');
   base = base != NULL ? base + 1 : file;
   if (errnum != 0)
      fprintf(stderr, "jsing: error: %s: %s (%s:%d)\n", msg, strerror(errnum), base, line);
   else
      fprintf(stderr, "jsing: error: %s (%s:%d)\n", msg, base, line);
   if (getpid() != fatal_owner)
      _exit(code);
   if (fatal_cleanup_dir != NULL) {
      const char *dir = fatal_cleanup_dir;
      fatal_cleanup_dir = NULL;   /* rm_tree never calls fatal(), but be sure not to recurse */
      rm_tree(dir);
   }
   exit(code);
}

void warn(const char *fmt, ...)
{
   va_list ap;
   fputs("jsing: warning: ", stderr);
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
}

void trace(const char *fmt, ...)
{
   va_list ap;
   fprintf(stderr, "jsing-starter[%d]: debug: ", (int)getpid());
   va_start(ap, fmt);
   vfprintf(stderr, fmt, ap);
   va_end(ap);
   fputc('\n', stderr);
}

/* a + b, freshly allocated. */
char *cat(const char *a, const char *b)
{
   char *s;
   P_(s = malloc(strlen(a) + strlen(b) + 1));
   return strcat(strcpy(s, a), b);
}

/* strdup and strndup that never return NULL. */
char *xstrdup(const char *s)
{
   char *d;
   P_(d = strdup(s));
   return d;
}

char *xstrndup(const char *s, size_t n)
{
   char *d;
   P_(d = strndup(s, n));
   return d;
}

static int chmod_dir(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
   (void)ftw;
   if (type == FTW_D && (st->st_mode & S_IRWXU) != S_IRWXU)
      BEST_EFFORT(chmod(path, st->st_mode | S_IRWXU));   /* rm_one() reports what stays */
   return 0;
}

static int rm_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
   (void)st;
   (void)ftw;
   if ((type == FTW_DP ? rmdir(path) : unlink(path)) != 0)
      D_("cannot remove %s: %s", path, strerror(errno));
   return 0;
}

/* rm -rf DIR, staying on DIR's filesystem; best effort (a leftover is reported with --debug). */
void rm_tree(const char *dir)
{
   D_("removing %s", dir);
   BEST_EFFORT(nftw(dir, chmod_dir, 32, FTW_PHYS | FTW_MOUNT));   /* a missing dir: nothing to do */
   BEST_EFFORT(nftw(dir, rm_one, 32, FTW_PHYS | FTW_MOUNT | FTW_DEPTH));
}

/* Is any process other than `except` (0: none) still in the mount namespace (dev, ino)? Only our own processes'
   namespaces are readable, and only they matter. Shared by the sandbox watcher and the join holder. */
bool mntns_in_use(dev_t dev, ino_t ino, pid_t except)
{
   return ns_in_use("mnt", dev, ino, except);
}

/* The same for any namespace type NS ("mnt", "net"): the network helper waits on the container's netns. */
bool ns_in_use(const char *ns, dev_t dev, ino_t ino, pid_t except)
{
   DIR *d = opendir("/proc");
   struct dirent *e;
   bool found = false;
   char path[300];
   struct stat st;
   if (d == NULL)
      return false;
   while (!found && (e = readdir(d)) != NULL) {
      if (e->d_name[0] < '0' || e->d_name[0] > '9' || atoi(e->d_name) == except)
         continue;
      snprintf(path, sizeof(path), "/proc/%s/ns/%s", e->d_name, ns);
      found = stat(path, &st) == 0 && st.st_dev == dev && st.st_ino == ino;
      if (found)
         D_("process %s is still in the container", e->d_name);
   }
   BEST_EFFORT(closedir(d));   /* read-only, done with */
   return found;
}
