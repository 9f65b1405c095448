// Shim for libsndfile (WAV, FLAC and OGG/Vorbis reading and writing), opened lazily.
//
// libsndfile brings FLAC, Vorbis, Opus, Ogg, mpg123 and LAME: loading them at every start cost every
// command, `mlwb show` of a PNG included. So it is opened with dlopen when audio is first read or
// written, and Swift calls the `mlwb_sf_*` wrappers below (the module map links nothing).
#ifndef MLWB_CSNDFILE_SHIM_H
#define MLWB_CSNDFILE_SHIM_H
#include <sndfile.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libsndfile.so.1, bound on first use (see lazy_load.h).
#define MLWB_SNDFILE_BIND(name) MLWB_LAZY_BIND("libsndfile.so.1", "libsndfile1", name)

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
