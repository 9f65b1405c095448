// Shim for libarchive (zip, tar, tar.gz/bz2/xz reading), opened lazily.
//
// libarchive brings libxml2, ICU, nettle, lzma, zstd, lz4, bz2 and acl: ~2 ms to load at every
// start. It is needed only to read checkpoints and datasets, so it is opened with dlopen on first
// use and Swift calls the `mlwb_archive_*` wrappers below (the module map does not link it).
#ifndef MLWB_CARCHIVE_SHIM_H
#define MLWB_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libarchive.so.13, bound on first use (see lazy_load.h).
#define MLWB_ARCHIVE_BIND(name) MLWB_LAZY_BIND("libarchive.so.13", "libarchive13", name)

// MARK: Reading

static inline struct archive * mlwb_archive_read_new(void) { MLWB_ARCHIVE_BIND(archive_read_new); return f(); }
static inline int mlwb_archive_read_free(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_free); return f(a); }
static inline int mlwb_archive_read_support_filter_none(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_filter_none); return f(a); }
static inline int mlwb_archive_read_support_filter_gzip(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_filter_gzip); return f(a); }
static inline int mlwb_archive_read_support_filter_bzip2(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_filter_bzip2); return f(a); }
static inline int mlwb_archive_read_support_filter_xz(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_filter_xz); return f(a); }
static inline int mlwb_archive_read_support_format_tar(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_format_tar); return f(a); }
static inline int mlwb_archive_read_support_format_zip(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_support_format_zip); return f(a); }
static inline int mlwb_archive_read_open_filename(struct archive *a, const char *path, size_t blockSize) { MLWB_ARCHIVE_BIND(archive_read_open_filename); return f(a, path, blockSize); }
static inline int mlwb_archive_read_open_memory(struct archive *a, const void *buffer, size_t size) { MLWB_ARCHIVE_BIND(archive_read_open_memory); return f(a, buffer, size); }
static inline int mlwb_archive_read_next_header(struct archive *a, struct archive_entry **entry) { MLWB_ARCHIVE_BIND(archive_read_next_header); return f(a, entry); }
static inline la_ssize_t mlwb_archive_read_data(struct archive *a, void *buffer, size_t size) { MLWB_ARCHIVE_BIND(archive_read_data); return f(a, buffer, size); }
static inline int mlwb_archive_read_data_skip(struct archive *a) { MLWB_ARCHIVE_BIND(archive_read_data_skip); return f(a); }
static inline la_int64_t mlwb_archive_filter_bytes(struct archive *a, int n) { MLWB_ARCHIVE_BIND(archive_filter_bytes); return f(a, n); }
static inline const char * mlwb_archive_error_string(struct archive *a) { MLWB_ARCHIVE_BIND(archive_error_string); return f(a); }

// MARK: Entries

static inline __LA_MODE_T mlwb_archive_entry_filetype(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_filetype); return f(e); }
static inline __LA_MODE_T mlwb_archive_entry_perm(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_perm); return f(e); }
static inline const char * mlwb_archive_entry_pathname(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_pathname); return f(e); }
static inline const char * mlwb_archive_entry_pathname_utf8(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_pathname_utf8); return f(e); }
static inline const char * mlwb_archive_entry_hardlink(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_hardlink); return f(e); }
static inline const char * mlwb_archive_entry_symlink(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_symlink); return f(e); }
static inline la_int64_t mlwb_archive_entry_size(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_size); return f(e); }
static inline int mlwb_archive_entry_size_is_set(struct archive_entry *e) { MLWB_ARCHIVE_BIND(archive_entry_size_is_set); return f(e); }
#endif
