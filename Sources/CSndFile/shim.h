// Shim for libsndfile (WAV, FLAC and OGG/Vorbis reading and writing), opened lazily.
//
// libsndfile brings FLAC, Vorbis, Opus, Ogg, mpg123 and LAME: loading them at every start cost every
// command, `mlwb show` of a PNG included. So it is opened with dlopen when audio is first read or
// written, and Swift calls the `mlwb_sf_*` wrappers below (the module map links nothing).
#ifndef MLWB_CSNDFILE_SHIM_H
#define MLWB_CSNDFILE_SHIM_H
#include <sndfile.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/// Resolves `name` in libsndfile.so.1, opening it on first use; exits with a clear message if it is missing.
static inline void *mlwb_sndfile_symbol(const char *name) {
    static void *handle = NULL;
    void *h = __atomic_load_n(&handle, __ATOMIC_ACQUIRE);
    if (h == NULL) {
        h = dlopen("libsndfile.so.1", RTLD_NOW | RTLD_LOCAL);
        if (h == NULL) {
            fprintf(stderr, "mlwb: cannot load libsndfile.so.1 (%s); install it with: apt-get install libsndfile1\n", dlerror());
            exit(1);
        }
        __atomic_store_n(&handle, h, __ATOMIC_RELEASE);
    }
    void *symbol = dlsym(h, name);
    if (symbol == NULL) {
        fprintf(stderr, "mlwb: libsndfile.so.1 has no %s (%s)\n", name, dlerror());
        exit(1);
    }
    return symbol;
}

// Declares `f`, the entry point `name` with its own prototype, bound on first use.
#define MLWB_SNDFILE_BIND(name) \
    static __typeof__(&name) bound = NULL; \
    __typeof__(&name) f = __atomic_load_n(&bound, __ATOMIC_ACQUIRE); \
    if (f == NULL) { \
        f = (__typeof__(&name))mlwb_sndfile_symbol(#name); \
        __atomic_store_n(&bound, f, __ATOMIC_RELEASE); \
    }

// MARK: Entry points

static inline SNDFILE * mlwb_sf_open(const char *path, int mode, SF_INFO *info) { MLWB_SNDFILE_BIND(sf_open); return f(path, mode, info); }
static inline int mlwb_sf_close(SNDFILE *file) { MLWB_SNDFILE_BIND(sf_close); return f(file); }
static inline int mlwb_sf_command(SNDFILE *file, int command, void *data, int size) { MLWB_SNDFILE_BIND(sf_command); return f(file, command, data, size); }
static inline int mlwb_sf_error(SNDFILE *file) { MLWB_SNDFILE_BIND(sf_error); return f(file); }
static inline const char * mlwb_sf_error_number(int number) { MLWB_SNDFILE_BIND(sf_error_number); return f(number); }
static inline int mlwb_sf_format_check(const SF_INFO *info) { MLWB_SNDFILE_BIND(sf_format_check); return f(info); }
static inline sf_count_t mlwb_sf_readf_float(SNDFILE *file, float *frames, sf_count_t count) { MLWB_SNDFILE_BIND(sf_readf_float); return f(file, frames, count); }
static inline const char * mlwb_sf_strerror(SNDFILE *file) { MLWB_SNDFILE_BIND(sf_strerror); return f(file); }
static inline void mlwb_sf_write_sync(SNDFILE *file) { MLWB_SNDFILE_BIND(sf_write_sync); f(file); }
static inline sf_count_t mlwb_sf_writef_float(SNDFILE *file, const float *frames, sf_count_t count) { MLWB_SNDFILE_BIND(sf_writef_float); return f(file, frames, count); }
#endif
