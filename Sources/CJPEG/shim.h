// Shim for libjpeg-turbo's TurboJPEG API (JPEG decoding), opened lazily.
//
// Only commands that read a JPEG need it, so it is opened with dlopen on first use and Swift calls the
// `mlwb_tj*` wrappers below (the module map links nothing; see lazy_load.h). TurboJPEG reports errors
// by return codes, never by longjmp, which is what lets Swift call it directly.
#ifndef MLWB_CJPEG_SHIM_H
#define MLWB_CJPEG_SHIM_H
#include <stddef.h>
#include <turbojpeg.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libturbojpeg.so.0, bound on first use.
#define MLWB_TJ_BIND(name) MLWB_LAZY_BIND("libturbojpeg.so.0", "libturbojpeg0", name)

// MARK: Entry points

static inline tjhandle mlwb_tjInitDecompress(void) { MLWB_TJ_BIND(tjInitDecompress); return f(); }
static inline int mlwb_tjDestroy(tjhandle handle) { MLWB_TJ_BIND(tjDestroy); return f(handle); }
static inline int mlwb_tjDecompressHeader3(tjhandle handle, const unsigned char *jpeg, unsigned long size,
                                           int *width, int *height, int *subsampling, int *colorspace) {
    MLWB_TJ_BIND(tjDecompressHeader3); return f(handle, jpeg, size, width, height, subsampling, colorspace);
}
static inline int mlwb_tjDecompress2(tjhandle handle, const unsigned char *jpeg, unsigned long size, unsigned char *dst,
                                     int width, int pitch, int height, int pixelFormat, int flags) {
    MLWB_TJ_BIND(tjDecompress2); return f(handle, jpeg, size, dst, width, pitch, height, pixelFormat, flags);
}
static inline char *mlwb_tjGetErrorStr2(tjhandle handle) { MLWB_TJ_BIND(tjGetErrorStr2); return f(handle); }
static inline int mlwb_tjGetErrorCode(tjhandle handle) { MLWB_TJ_BIND(tjGetErrorCode); return f(handle); }

// MARK: Constants Swift does not import (enum values and macros)

static inline int mlwb_tj_pixel_rgb(void) { return TJPF_RGB; }
static inline int mlwb_tj_pixel_rgba(void) { return TJPF_RGBA; }
static inline int mlwb_tj_error_warning(void) { return TJERR_WARNING; }
static inline int mlwb_tj_flag_accurate(void) { return TJFLAG_ACCURATEDCT; }
#endif
