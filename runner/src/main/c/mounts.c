/* jsing-starter: the container's mount tree.

   Layout while assembling (inside the new mount namespace): a small session tmpfs is mounted on /tmp and we
   pivot_root into it, so the host root sits at /oldroot and no host path is hidden by the staging area:
     /oldroot  the host's root (sources of binds)      /lower  the image (FUSE mount or sandbox bind)
     /skel     mount points the image lacks            /wtmpfs/{upper,work}  writable layer (--writable-tmpfs, own tmpfs)
     /final    overlayfs lowerdir=/skel:/lower[,upperdir]: the container's root
   Mount points missing from the image are created in /skel, a lower layer above the image, before the overlay is
   mounted (pass 1): no copy-up is needed (copy-up of the image's root-owned directories fails when uid 0 is not
   mapped) and the image is never modified. Pass 2 mounts in argv order. At the end we pivot_root into /final and
   detach the session tmpfs and the host root. */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "starter.h"

#define OLD "/oldroot"
#define ROOT "/final"
#define LOWER "/lower"
#define SKEL "/skel"
#define WTMPFS "/wtmpfs"   /* --writable-tmpfs: its own tmpfs, holding upper/ and work/ */
#define SESSION_MB 16

static bool layer;   /* an overlay layer can take new mount points */

static char *layer_dir(size_t i)
{
   char buf[32];
   snprintf(buf, sizeof(buf), "/layers/%zu", i);
   return xstrdup(buf);
}

/* The targets (under ROOT, symlinks resolved) of the host file systems mounted so far in pass 2: binds, the host's
   /proc, /sys and /dev. Nothing is ever created, replaced or removed at or below one of them: an image symlink
   such as /etc -> /tmp or /var/tmp -> /tmp/x would otherwise steer a mount point into the host's /tmp. */
static char **host_mounts;
static size_t n_host_mounts;

/* Fatal if container directory `dir` (a path under ROOT) is a host mount or lies below one. */
static void refuse_host_path(const char *dir, const char *dst)
{
   for (size_t i = 0; i < n_host_mounts; i++) {
      size_t n = strlen(host_mounts[i]);
      if (!strncmp(dir, host_mounts[i], n) && (dir[n] == '\0' || dir[n] == '/'))
         FATAL(EXIT_BAD_MOUNT, "cannot create mount point %s in the container: it resolves to %s, inside the host "
               "path mounted on %s", dst, dir[strlen(ROOT)] != '\0' ? dir + strlen(ROOT) : "/",
               host_mounts[i][strlen(ROOT)] != '\0' ? host_mounts[i] + strlen(ROOT) : "/");
   }
}

/* Resolve container path `path` under `root`, following symlinks as if root were / (never escaping it); the last
   component is not followed when nofollow_last. Returns the resolved longest existing prefix, relative to root
   ("" or "/a/b"); *missing is the rest that does not exist ("" when all of it does). */
static char *resolve_in(const char *root, const char *path, bool nofollow_last, char **missing)
{
   char cur[PATH_MAX] = "", rest[PATH_MAX], tmp[PATH_MAX], full[PATH_MAX], link[PATH_MAX];
   char *p = rest;
   int links = 0;
   Tx(EXIT_BAD_MOUNT, strlen(path) < sizeof(rest), "path too long: %s", path);
   strcpy(rest, path);
   while (*p != '\0') {
      char *end, comp[NAME_MAX + 1];
      struct stat st;
      ssize_t n;
      while (*p == '/')
         p++;
      if (*p == '\0')
         break;
      end = strchrnul(p, '/');
      Tx(EXIT_BAD_MOUNT, (size_t)(end - p) <= NAME_MAX, "name too long in %s", path);
      memcpy(comp, p, end - p);
      comp[end - p] = '\0';
      if (!strcmp(comp, ".")) {
         p = end;
         continue;
      }
      if (!strcmp(comp, "..")) {
         char *s = strrchr(cur, '/');
         if (s != NULL)
            *s = '\0';
         p = end;
         continue;
      }
      Tx(EXIT_BAD_MOUNT, snprintf(full, sizeof(full), "%s%s/%s", root, cur, comp) < (int)sizeof(full),
         "path too long: %s", path);
      if (lstat(full, &st) != 0) {
         Tx(EXIT_BAD_MOUNT, errno == ENOENT || errno == ENOTDIR, "cannot resolve %s in the container", path);
         *missing = xstrdup(p);
         return xstrdup(cur);
      }
      p = end;
      if (S_ISLNK(st.st_mode) && !(nofollow_last && strspn(p, "/") == strlen(p))) {
         Tx(EXIT_BAD_MOUNT, ++links <= 40, "too many symlinks in %s", path);
         N_(n = readlink(full, link, sizeof(link) - 1));
         link[n] = '\0';
         Tx(EXIT_BAD_MOUNT, snprintf(tmp, sizeof(tmp), "%s/%s", link, p) < (int)sizeof(tmp), "path too long");
         strcpy(rest, tmp);
         p = rest;
         if (link[0] == '/')
            cur[0] = '\0';
         continue;
      }
      strcat(strcat(cur, "/"), comp);
   }
   *missing = "";
   return xstrdup(cur);
}

/* Create the mount point `path` for container path dst: a directory, or (!dir) an empty file. */
static void make_mount_point(const char *path, bool dir, const char *dst)
{
   int fd;
   D_("create mount point %s", path);
   if (dir) {
      Zx(EXIT_BAD_MOUNT, mkdir(path, 0755), "cannot create mount point %s in the container%s", dst,
         layer ? "" : " (read-only image without an overlay layer)");
   } else {
      Nx(EXIT_BAD_MOUNT, fd = open(path, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644),
         "cannot create mount point %s in the container%s", dst,
         layer ? "" : " (read-only image without an overlay layer)");
      Z_(close(fd));
   }
}

/* Create root+rel+missing: directories, the last one a directory or (!dir) an empty file. Returns its path. */
static char *create_in(const char *root, const char *rel, const char *missing, bool dir, const char *dst)
{
   char *path = cat(root, rel), *m, *comp, *save = NULL;
   refuse_host_path(path, dst);
   m = xstrdup(missing);
   for (comp = strtok_r(m, "/", &save); comp != NULL; comp = strtok_r(NULL, "/", &save)) {
      bool last = strspn(save, "/") == strlen(save);
      path = cat(cat(path, "/"), comp);
      if (access(path, F_OK) == 0)   /* made for an earlier mount point */
         continue;
      make_mount_point(path, !last || dir, dst);
   }
   return path;
}

/* Resolve container path `path` under ROOT; missing directories are created when `create`, else NULL. */
static char *resolve(const char *path, bool create)
{
   char *missing, *rel = resolve_in(ROOT, path, false, &missing);
   if (*missing == '\0')
      return cat(ROOT, rel);
   return create ? create_in(ROOT, rel, missing, true, path) : NULL;
}

/* Before the layer exists: put what dst needs (missing directories, an empty file, a plain file instead of an
   image symlink) into SKEL, an extra lower overlay layer above the image. No copy-up is ever needed, so this works
   for the root-owned directories of an image whose uid 0 is not mapped, and the image is never modified. */
static void skeleton(const char *dst, bool dir, bool replace_link)
{
   char *missing, *rel = resolve_in(LOWER, dst, replace_link, &missing), *prefix = "", *c, *save = NULL;
   struct stat st;
   if (*missing == '\0') {
      if (!replace_link || lstat(cat(LOWER, rel), &st) != 0 || !S_ISLNK(st.st_mode))
         return;
      missing = strrchr(rel, '/') + 1;
      *strrchr(rel, '/') = '\0';
   }
   for (c = strtok_r(xstrdup(rel), "/", &save); c != NULL; c = strtok_r(NULL, "/", &save)) {
      prefix = cat(cat(prefix, "/"), c);   /* the resolved image directories, same modes in SKEL */
      if (lstat(cat(SKEL, prefix), &st) != 0) {
         Z_(lstat(cat(LOWER, prefix), &st));
         Z_(mkdir(cat(SKEL, prefix), 0755));
         Z_(chmod(cat(SKEL, prefix), st.st_mode & 07777));
      }
   }
   if (lstat(cat(cat(SKEL, rel), cat("/", missing)), &st) != 0)
      create_in(SKEL, rel, missing, dir, dst);
}

/* The host path for the mount point of container path dst, created (a directory, or an empty file when !dir) in
   the layer if missing. With replace_link, a symlink at dst (e.g. /etc/localtime) is replaced by a plain file. */
static char *mount_point(const char *dst, bool dir, bool replace_link)
{
   char *slash = strrchr(dst, '/'), *parent, *full;
   const char *name = slash + 1;
   struct stat st;
   if (!strcmp(name, "") || !strcmp(name, ".") || !strcmp(name, ".."))
      FATAL(EXIT_BAD_MOUNT, "bad mount destination '%s'", dst);
   parent = xstrndup(dst, slash - dst);
   parent = resolve(parent[0] != '\0' ? parent : "/", true);
   full = cat(cat(parent, "/"), name);
   if (lstat(full, &st) == 0) {
      if (!S_ISLNK(st.st_mode))
         return full;
      if (!replace_link) {   /* mount on the symlink's target; NULL: a file bind onto a dangling symlink */
         if ((full = resolve(dst, dir)) == NULL)
            FATAL(EXIT_BAD_MOUNT, "cannot create mount point %s in the container: a symlink to a missing file", dst);
         return full;
      }
      refuse_host_path(parent, dst);
      Zx(EXIT_BAD_MOUNT, unlink(full), "cannot replace symlink %s in the container", dst);
   }
   refuse_host_path(parent, dst);
   make_mount_point(full, dir, dst);
   return full;
}

/* Flags a remount must keep: those of a mount from a more privileged namespace are locked. */
static unsigned long locked_flags(const char *path)
{
   struct statvfs sv;
   unsigned long f = 0;
   Z_(statvfs(path, &sv));
   f |= sv.f_flag & ST_RDONLY ? MS_RDONLY : 0;
   f |= sv.f_flag & ST_NOSUID ? MS_NOSUID : 0;
   f |= sv.f_flag & ST_NODEV ? MS_NODEV : 0;
   f |= sv.f_flag & ST_NOEXEC ? MS_NOEXEC : 0;
   f |= sv.f_flag & ST_NOATIME ? MS_NOATIME : 0;
   f |= sv.f_flag & ST_NODIRATIME ? MS_NODIRATIME : 0;
   f |= sv.f_flag & ST_RELATIME ? MS_RELATIME : 0;
   return f;
}

/* src as the user knows it: host paths without the OLD prefix. */
static const char *shown(const char *src)
{
   return strncmp(src, OLD "/", strlen(OLD) + 1) ? src : src + strlen(OLD);
}

/* Recursive bind of host path src (under OLD) onto target; with restrict, remount nosuid,nodev (+ro). */
static void bind(const char *src, const char *target, bool restrict_, bool ro)
{
   D_("bind %s -> %s%s", src, target, ro ? " (ro)" : "");
   Zx(EXIT_BAD_MOUNT, mount(src, target, NULL, MS_BIND | MS_REC, NULL), "cannot bind %s", shown(src));
   if (restrict_)
      Zx(EXIT_BAD_MOUNT, mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV | (ro ? MS_RDONLY : 0)
                               | locked_flags(target), NULL), "cannot remount %s", shown(src));
}

/* The source of bind or file mount m: the host path under OLD, or for a generated file (has_fd) a copy of its
   content on the session tmpfs (the fd's file, opened before the mount namespace existed, cannot be bound). */
static char *mount_source(const struct mnt *m, size_t i)
{
   char name[64], buf[65536];
   int out;
   ssize_t n;
   if (!m->has_fd)
      return cat(OLD, m->src);
   snprintf(name, sizeof(name), "/generated-%zu", i);
   if (access(name, F_OK) == 0)
      return xstrdup(name);
   N_(out = open(name, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644));
   T_(lseek(m->fd, 0, SEEK_SET) == 0);
   while ((n = read(m->fd, buf, sizeof(buf))) > 0)
      T_(write(out, buf, n) == n);
   N_(n);
   Z_(close(out));
   return xstrdup(name);
}

static void tmpfs(const char *target, const char *opts)
{
   D_("tmpfs %s (%s)", target, opts);
   Zx(EXIT_BAD_MOUNT, mount("tmpfs", target, "tmpfs", MS_NOSUID | MS_NODEV, opts), "cannot mount tmpfs on %s",
      target + strlen(ROOT));
}

/* --dev minimal: a tmpfs with a few host device nodes bound in, a new devpts and a /dev/shm. */
void dev_minimal(const char *dst)
{
   static const char *nodes[] = { "null", "zero", "full", "random", "urandom", "tty", NULL };
   static const char *links[][2] = { { "fd", "/proc/self/fd" }, { "stdin", "/proc/self/fd/0" },
      { "stdout", "/proc/self/fd/1" }, { "stderr", "/proc/self/fd/2" }, { "ptmx", "pts/ptmx" }, { NULL, NULL } };
   int fd;
   D_("minimal /dev on %s", dst);
   Z_(mount("tmpfs", dst, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=1m,mode=0755"));
   for (int i = 0; nodes[i] != NULL; i++) {
      char *t = cat(cat(dst, "/"), nodes[i]);
      N_(fd = open(t, O_CREAT | O_WRONLY | O_CLOEXEC, 0666));
      Z_(close(fd));
      bind(cat(OLD "/dev/", nodes[i]), t, false, false);
   }
   for (int i = 0; links[i][0] != NULL; i++)
      Z_(symlink(links[i][1], cat(cat(dst, "/"), links[i][0])));
   Z_(mkdir(cat(dst, "/pts"), 0755));
   Z_(mount("devpts", cat(dst, "/pts"), "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620"));
   Z_(mkdir(cat(dst, "/shm"), 01777));
   Z_(mount("tmpfs", cat(dst, "/shm"), "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777"));
}

static void mount_one(const struct mnt *m, size_t i)
{
   char *src = m->src != NULL ? mount_source(m, i) : NULL, opts[64], *target = NULL;
   struct stat st;
   switch (m->kind) {
   case M_BIND:
   case M_FILE:
      Zx(EXIT_NOT_FOUND, stat(src, &st), "%s source %s", m->kind == M_BIND ? "bind" : "file", m->src);
      if (m->kind == M_FILE)
         Tx(EXIT_BAD_MOUNT, !S_ISDIR(st.st_mode), "--file source %s is a directory", m->src);
      bind(src, target = mount_point(m->dst, S_ISDIR(st.st_mode), m->kind == M_FILE), true, m->ro);
      break;
   case M_TMPFS:
      snprintf(opts, sizeof(opts), "size=%ldm,mode=%s", m->size_mb,
               !strcmp(m->dst, "/tmp") || !strcmp(m->dst, "/var/tmp") ? "1777" : "0755");
      tmpfs(mount_point(m->dst, true, false), opts);
      break;
   case M_PROC_HOST:
      bind(OLD "/proc", target = mount_point(m->dst, true, false), false, false);
      break;
   case M_PROC_NEW:
      Zx(EXIT_LAUNCH_FAILED, mount("proc", mount_point(m->dst, true, false), "proc", MS_NOSUID | MS_NODEV
                                   | MS_NOEXEC, NULL), "cannot mount a new /proc");
      break;
   case M_SYS:
      bind(OLD "/sys", target = mount_point(m->dst, true, false), false, false);
      break;
   case M_DEV_HOST:
      bind(OLD "/dev", target = mount_point(m->dst, true, false), false, false);
      break;
   case M_DEV_MINIMAL:
      dev_minimal(mount_point(m->dst, true, false));
      break;
   case M_DEV_BIND:   /* a host device node (or a directory of them): nosuid, but not nodev, or it cannot be used */
      Zx(EXIT_NOT_FOUND, stat(src, &st), "device %s", m->src);
      Tx(EXIT_BAD_MOUNT, S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode) || S_ISDIR(st.st_mode),
         "--dev-bind source %s is not a device node or a directory", m->src);
      bind(src, target = mount_point(m->dst, S_ISDIR(st.st_mode), false), false, false);
      Zx(EXIT_BAD_MOUNT, mount(NULL, target, NULL, MS_REMOUNT | MS_BIND | MS_NOSUID | locked_flags(target), NULL),
         "cannot remount %s", m->src);
      break;
   }
   if (target != NULL)
      host_mounts[n_host_mounts++] = target;
}

/* Pass 1, before the layer exists: the skeleton of every mount point the image lacks (see skeleton()). */
static void skeletons(const struct plan *p)
{
   struct stat st;
   for (size_t i = 0; i < p->n_mounts; i++) {
      const struct mnt *m = &p->mounts[i];
      if (m->kind == M_BIND || m->kind == M_FILE || m->kind == M_DEV_BIND) {
         if (m->has_fd ? fstat(m->fd, &st) == 0 : stat(cat(OLD, m->src), &st) == 0)   /* missing: see pass 2 */
            skeleton(m->dst, S_ISDIR(st.st_mode), m->kind == M_FILE);
      } else {
         skeleton(m->dst, true, false);
      }
   }
}

/* The --layer/--overlay-image layers at /layers/N: a read-only bind of a directory, or a FUSE mount served by the
   squashfuse or fuse2fs daemon started for it. */
static void layers_mount(const struct plan *p)
{
   char what[PATH_MAX + 96];
   if (p->n_layers == 0)
      return;
   Z_(mkdir("/layers", 0755));
   for (size_t i = 0; i < p->n_layers; i++) {
      struct layer *l = &p->layers[i];
      char *dir = layer_dir(i);
      Z_(mkdir(dir, 0755));
      if (l->kind == L_DIR) {
         Zx(EXIT_NOT_FOUND, mount(cat(OLD, l->src), dir, NULL, MS_BIND | MS_REC, NULL), "overlay directory %s",
            l->src);
         Z_(mount(NULL, dir, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(dir), NULL));
         continue;
      }
      if (l->kind == L_SQUASHFS)
         snprintf(what, sizeof(what), "%s could not serve overlay image %s at offset %lld", p->squashfuse, l->src,
                  l->offset);
      else
         snprintf(what, sizeof(what), "%s could not open overlay image %s (not an ext3 file system, or damaged; "
                  "e2fsck -fn %s tells)", p->fuse2fs, l->src, l->src);
      fuse_attach(l->fuse_fd, l->src, dir, !l->rw, l->release, "x", 1, EXIT_BAD_IMAGE, what);
      l->fuse_fd = -1;
      l->release = -1;
      if (l->rw) {
         char *up = cat(dir, "/upper"), *wk = cat(dir, "/work");
         if (mkdir(up, 0755) != 0)
            Tx(EXIT_BAD_MOUNT, errno == EEXIST, "overlay image %s: cannot create upper/", l->src);
         if (mkdir(wk, 0755) != 0)
            Tx(EXIT_BAD_MOUNT, errno == EEXIST, "overlay image %s: cannot create work/", l->src);
      }
   }
}

/* The lowerdir list, top first: SKEL, the read-only layers (last given on top; an ext3 image's upper/ when it has
   one), the image. */
static char *lowerdirs(const struct plan *p, const char *prefix)
{
   char *s = cat(prefix, SKEL);
   struct stat st;
   for (size_t i = p->n_layers; i-- > 0;) {
      const struct layer *l = &p->layers[i];
      char *dir = layer_dir(i);
      if (l->rw)
         continue;
      if (l->kind == L_EXT3 && stat(cat(dir, "/upper"), &st) == 0 && S_ISDIR(st.st_mode))
         dir = cat(dir, "/upper");
      s = cat(cat(cat(s, ":"), prefix), dir);
   }
   return cat(cat(cat(s, ":"), prefix), LOWER);
}

/* fuse-overlayfs on /final (a stack with an ext3 image, see layers.c): the writable layer is the ext3 image's upper/,
   --overlay DIR (bound at /rw) or the session tmpfs (--writable-tmpfs); without one the stack is read-only. */
static void overlay_fuse(const struct plan *p, bool writable, int fovl_fd, int fovl_release)
{
   char *opts = cat("noacl,lowerdir=", lowerdirs(p, FOVL_DIR)), *top = NULL;
   for (size_t i = 0; i < p->n_layers; i++)
      if (p->layers[i].rw)
         top = layer_dir(i);
   if (top == NULL && p->overlay != NULL) {
      Z_(mkdir("/rw", 0755));
      Zx(EXIT_NOT_FOUND, mount(cat(OLD, p->overlay), "/rw", NULL, MS_BIND | MS_REC, NULL), "overlay directory %s",
         p->overlay);
      if (mkdir("/rw/upper", 0755) != 0)
         Tx(EXIT_BAD_MOUNT, errno == EEXIST, "cannot create %s/upper", p->overlay);
      if (mkdir("/rw/work", 0755) != 0)
         Tx(EXIT_BAD_MOUNT, errno == EEXIST, "cannot create %s/work", p->overlay);
      top = "/rw";
   }
   if (top != NULL) {
      char buf[128];
      snprintf(buf, sizeof(buf), ",upperdir=" FOVL_DIR "%s/upper,workdir=" FOVL_DIR "%s/work", top, top);
      opts = cat(opts, buf);
   } else if (writable) {   /* --writable-tmpfs: its own tmpfs of SIZE_MB, as in overlay() */
      char size[64];
      snprintf(size, sizeof(size), "size=%ldm,mode=0755", p->wtmpfs_mb);
      Z_(mkdir(WTMPFS, 0755));
      Zx(EXIT_LAUNCH_FAILED, mount("jsing-writable-tmpfs", WTMPFS, "tmpfs", MS_NOSUID | MS_NODEV, size),
         "cannot mount the --writable-tmpfs layer (%s)", size);
      Z_(mkdir(WTMPFS "/upper", 0755));
      Z_(mkdir(WTMPFS "/work", 0755));
      opts = cat(opts, ",upperdir=" FOVL_DIR WTMPFS "/upper,workdir=" FOVL_DIR WTMPFS "/work");
   }
   D_("fuse-overlayfs %s", opts);
   fuse_attach(fovl_fd, "fuse-overlayfs", ROOT, false, fovl_release, opts, strlen(opts) + 1, EXIT_LAUNCH_FAILED,
               cat(p->fuse_overlayfs, " could not assemble the overlay layers"));
}

/* The layer on /final: overlayfs of SKEL (and the read-only layers) over the image, read-only; or with an upper dir
   on the session tmpfs (--writable-tmpfs) or in --overlay DIR. Returns false if overlayfs is unusable here. */
static bool overlay(const struct plan *p, bool writable)
{
   const char *up = "/upper", *wk = "/work";
   /* The source names the layer in df and /proc/mounts: df / on a full --writable-tmpfs layer says what sizes it. */
   const char *name = p->wtmpfs_mb > 0 ? "jsing-writable-tmpfs(--tmpfs-size)" : "overlay";
   char opts[PATH_MAX];
   int rc;
   if (p->wtmpfs_mb > 0) {
      /* Its own tmpfs of exactly SIZE_MB, so the limit is the layer's (a full layer is ENOSPC, not a full session). */
      snprintf(opts, sizeof(opts), "size=%ldm,mode=0755", p->wtmpfs_mb);
      Z_(mkdir(WTMPFS, 0755));
      Zx(EXIT_LAUNCH_FAILED, mount("jsing-writable-tmpfs", WTMPFS, "tmpfs", MS_NOSUID | MS_NODEV, opts),
         "cannot mount the --writable-tmpfs layer (%s)", opts);
      Z_(mkdir(WTMPFS "/upper", 0755));
      Z_(mkdir(WTMPFS "/work", 0755));
      up = WTMPFS "/upper";
      wk = WTMPFS "/work";
   } else if (p->overlay != NULL) {
      char *dir = cat(OLD, p->overlay);
      Zx(EXIT_NOT_FOUND, chdir(dir), "overlay directory %s", p->overlay);
      if (mkdir("upper", 0755) != 0)
         Tx(EXIT_BAD_MOUNT, errno == EEXIST, "cannot create %s/upper", p->overlay);
      if (mkdir("work", 0755) != 0)
         Tx(EXIT_BAD_MOUNT, errno == EEXIST, "cannot create %s/work", p->overlay);
      up = "upper";   /* relative to the cwd: no escaping of ',' or ':' in the user's path */
      wk = "work";
   }
   if (writable)
      snprintf(opts, sizeof(opts), "lowerdir=%s,upperdir=%s,workdir=%s,userxattr", lowerdirs(p, ""), up, wk);
   else
      snprintf(opts, sizeof(opts), "lowerdir=%s,userxattr", lowerdirs(p, ""));
   rc = mount(name, ROOT, "overlay", 0, opts);
   if (rc != 0) {
      *strrchr(opts, ',') = '\0';
      rc = mount(name, ROOT, "overlay", 0, opts);
   }
   D_("overlay %s: %s", opts, rc == 0 ? "ok" : strerror(errno));
   Z_(chdir("/"));
   return rc == 0;
}

void container_build(const struct plan *p, int fuse_fd, int fuse_release, int fovl_fd, int fovl_release)
{
   char opts[64];
   bool writable = p->writable || p->wtmpfs_mb > 0 || p->overlay != NULL
                   || (p->n_layers > 0 && p->layers[p->n_layers - 1].rw);
   long generated_mb = 0;

   Z_(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
   for (size_t i = 0; i < p->n_mounts; i++) {   /* room for the copies of the generated files */
      struct stat st;
      if (p->mounts[i].has_fd) {
         Z_(fstat(p->mounts[i].fd, &st));
         generated_mb += st.st_size / (1 << 20) + 1;
      }
   }
   snprintf(opts, sizeof(opts), "size=%ldm,mode=0755", SESSION_MB + generated_mb);
   Z_(mount("jsing-session", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, opts));
   Z_(mkdir("/tmp" OLD, 0755));
   Z_(syscall(SYS_pivot_root, "/tmp", "/tmp" OLD));
   if (fatal_cleanup_dir != NULL)
      fatal_cleanup_dir = cat(OLD, fatal_cleanup_dir);   /* the host root now sits at OLD */
   Z_(chdir("/"));
   Z_(mkdir("/lower", 0755));
   Z_(mkdir("/upper", 0755));
   Z_(mkdir("/work", 0755));
   Z_(mkdir(SKEL, 0755));
   Z_(mkdir(ROOT, 0755));

   if (p->sqfs_file != NULL)
      fuse_mount(p, fuse_fd, "/lower", fuse_release);
   else
      Zx(EXIT_NOT_FOUND, mount(cat(OLD, p->sandbox), "/lower", NULL, MS_BIND | MS_REC, NULL), "sandbox %s",
         p->sandbox);

   layers_mount(p);

   if (p->writable) {
      bind("/lower", ROOT, false, false);
   } else if (p->fovl) {
      skeletons(p);
      overlay_fuse(p, writable, fovl_fd, fovl_release);
      layer = true;
   } else if (skeletons(p), overlay(p, writable)) {
      layer = true;
   } else if (writable) {
      FATAL(EXIT_UNAVAILABLE, "overlayfs is unavailable here: --writable-tmpfs and --overlay need it");
   } else if (p->n_layers > 0) {
      FATAL(EXIT_UNAVAILABLE, "overlayfs is unavailable here: overlay images need it");
   } else {
      D_("no overlay layer: the image is used as is, read-only");
      bind("/lower", ROOT, false, false);
   }

   P_(host_mounts = calloc(p->n_mounts + 1, sizeof(*host_mounts)));
   for (size_t i = 0; i < p->n_mounts; i++)
      mount_one(&p->mounts[i], i);
   if (p->remove_before_exec != NULL)
      rm_tree(cat(OLD, p->remove_before_exec));
   fatal_cleanup_dir = NULL;
   hooks_run(p, true, ROOT);   /* createContainer hooks: the mounts are made, the container not yet entered */
   if (!writable)
      Z_(mount(NULL, ROOT, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags(ROOT), NULL));

   /* Into the final root; the session tmpfs (with the host root under it) is stacked on top and detached. */
   Z_(chdir(ROOT));
   Z_(syscall(SYS_pivot_root, ".", "."));
   Z_(umount2(".", MNT_DETACH));
   Z_(chdir("/"));
   D_("pivoted into the container root");
}
