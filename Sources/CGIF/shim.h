// Shim for giflib (GIF decoding), opened lazily.
//
// Opened with dlopen when a GIF is first read; Swift calls the `mlwb_gif_*` wrappers (the module map
// links nothing; see lazy_load.h). giflib reads through a callback, which Swift supplies; mlwb walks the
// records itself (not DGifSlurp) so that a still stops after its first frame and a GIF bomb meets a budget.
#ifndef MLWB_CGIF_SHIM_H
#define MLWB_CGIF_SHIM_H
#include <gif_lib.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libgif.so.7, bound on first use.
#define MLWB_GIF_BIND(name) MLWB_LAZY_BIND("libgif.so.7", "libgif7", name)

// MARK: Entry points

static inline GifFileType *mlwb_gif_open(void *user, InputFunc read, int *error) { MLWB_GIF_BIND(DGifOpen); return f(user, read, error); }
static inline int mlwb_gif_close(GifFileType *gif, int *error) { MLWB_GIF_BIND(DGifCloseFile); return f(gif, error); }
static inline const char *mlwb_gif_error_string(int error) { MLWB_GIF_BIND(GifErrorString); return f(error); }
static inline int mlwb_gif_record_type(GifFileType *gif, GifRecordType *type) { MLWB_GIF_BIND(DGifGetRecordType); return f(gif, type); }
static inline int mlwb_gif_image_desc(GifFileType *gif) { MLWB_GIF_BIND(DGifGetImageDesc); return f(gif); }
static inline int mlwb_gif_line(GifFileType *gif, GifPixelType *line, int length) { MLWB_GIF_BIND(DGifGetLine); return f(gif, line, length); }
static inline int mlwb_gif_extension(GifFileType *gif, int *code, GifByteType **block) { MLWB_GIF_BIND(DGifGetExtension); return f(gif, code, block); }
static inline int mlwb_gif_extension_next(GifFileType *gif, GifByteType **block) { MLWB_GIF_BIND(DGifGetExtensionNext); return f(gif, block); }

// MARK: Constants

static inline int mlwb_gif_record_image(void) { return IMAGE_DESC_RECORD_TYPE; }
static inline int mlwb_gif_record_extension(void) { return EXTENSION_RECORD_TYPE; }
static inline int mlwb_gif_record_end(void) { return TERMINATE_RECORD_TYPE; }
static inline int mlwb_gif_graphics_control_code(void) { return GRAPHICS_EXT_FUNC_CODE; }
#endif
