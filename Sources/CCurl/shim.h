// Shim for libcurl (HTTP/HTTPS transfers), opened lazily.
//
// libcurl and its ~20 dependencies (TLS, Kerberos, LDAP, SSH, IDN…) take ~3 ms to load at every
// start, which `mlwb show` and `--help` should not pay. So the library is opened with dlopen the
// first time a transfer needs it, and Swift calls the `mlwb_curl_*` wrappers below, never libcurl
// directly (the module map does not link it). curl_easy_setopt and curl_easy_getinfo are
// variadic, which Swift cannot call: the wrappers are typed.
#ifndef MLWB_CCURL_SHIM_H
#define MLWB_CCURL_SHIM_H
#include <curl/curl.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libcurl.so.4, bound on first use (see lazy_load.h).
#define MLWB_CURL_BIND(name) MLWB_LAZY_BIND("libcurl.so.4", "libcurl4", name)

// MARK: Entry points

static inline CURLcode mlwb_curl_global_init(long flags) { MLWB_CURL_BIND(curl_global_init); return f(flags); }
static inline CURL * mlwb_curl_easy_init(void) { MLWB_CURL_BIND(curl_easy_init); return f(); }
static inline CURLcode mlwb_curl_easy_perform(CURL *h) { MLWB_CURL_BIND(curl_easy_perform); return f(h); }
static inline void mlwb_curl_easy_cleanup(CURL *h) { MLWB_CURL_BIND(curl_easy_cleanup); f(h); }
static inline const char * mlwb_curl_easy_strerror(CURLcode code) { MLWB_CURL_BIND(curl_easy_strerror); return f(code); }
static inline time_t mlwb_curl_getdate(const char *text, const time_t *unused) { MLWB_CURL_BIND(curl_getdate); return f(text, unused); }
static inline struct curl_slist * mlwb_curl_slist_append(struct curl_slist *list, const char *text) { MLWB_CURL_BIND(curl_slist_append); return f(list, text); }
static inline void mlwb_curl_slist_free_all(struct curl_slist *list) { MLWB_CURL_BIND(curl_slist_free_all); f(list); }

// Typed forms of the variadic setopt/getinfo.
static inline CURLcode mlwb_curl_setopt_long(CURL *h, CURLoption o, long v) { MLWB_CURL_BIND(curl_easy_setopt); return f(h, o, v); }
static inline CURLcode mlwb_curl_setopt_string(CURL *h, CURLoption o, const char *v) { MLWB_CURL_BIND(curl_easy_setopt); return f(h, o, v); }
static inline CURLcode mlwb_curl_setopt_pointer(CURL *h, CURLoption o, void *v) { MLWB_CURL_BIND(curl_easy_setopt); return f(h, o, v); }
static inline CURLcode mlwb_curl_setopt_offset(CURL *h, CURLoption o, curl_off_t v) { MLWB_CURL_BIND(curl_easy_setopt); return f(h, o, v); }
static inline CURLcode mlwb_curl_setopt_write(CURL *h, size_t (*callback)(char *, size_t, size_t, void *)) {
    MLWB_CURL_BIND(curl_easy_setopt); return f(h, CURLOPT_WRITEFUNCTION, callback);
}
static inline CURLcode mlwb_curl_setopt_header(CURL *h, size_t (*callback)(char *, size_t, size_t, void *)) {
    MLWB_CURL_BIND(curl_easy_setopt); return f(h, CURLOPT_HEADERFUNCTION, callback);
}
static inline CURLcode mlwb_curl_setopt_xferinfo(CURL *h, int (*callback)(void *, curl_off_t, curl_off_t, curl_off_t, curl_off_t)) {
    MLWB_CURL_BIND(curl_easy_setopt); return f(h, CURLOPT_XFERINFOFUNCTION, callback);
}
static inline CURLcode mlwb_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { MLWB_CURL_BIND(curl_easy_getinfo); return f(h, i, v); }
static inline CURLcode mlwb_curl_getinfo_offset(CURL *h, CURLINFO i, curl_off_t *v) { MLWB_CURL_BIND(curl_easy_getinfo); return f(h, i, v); }
static inline CURLcode mlwb_curl_getinfo_string(CURL *h, CURLINFO i, char **v) { MLWB_CURL_BIND(curl_easy_getinfo); return f(h, i, v); }
static inline CURLcode mlwb_curl_getinfo_double(CURL *h, CURLINFO i, double *v) { MLWB_CURL_BIND(curl_easy_getinfo); return f(h, i, v); }

// MARK: Writeback

// Starts background writeback of a byte range (Linux sync_file_range with SYNC_FILE_RANGE_WRITE),
// called through syscall(2) because glibc declares it only under _GNU_SOURCE. Returns -1 elsewhere.
#include <unistd.h>
#include <sys/syscall.h>
static inline int mlwb_sync_file_range(int fd, long long offset, long long count) {
#ifdef SYS_sync_file_range
    return (int)syscall(SYS_sync_file_range, fd, offset, count, 2 /* SYNC_FILE_RANGE_WRITE */);
#else
    (void)fd; (void)offset; (void)count; return -1;
#endif
}
#endif
