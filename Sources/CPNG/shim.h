// Shim for libpng 1.6: mlwb uses only the simplified `png_image` API (no setjmp needed).
#ifndef MLWB_CPNG_SHIM_H
#define MLWB_CPNG_SHIM_H
#include <png.h>

/// PNG_IMAGE_SIZE is a macro; expose it to Swift.
static inline size_t mlwb_png_image_size(const png_image *image) {
    return PNG_IMAGE_SIZE(*image);
}
/// PNG_IMAGE_FAILED is a macro; expose it to Swift.
static inline int mlwb_png_image_failed(const png_image *image) {
    return PNG_IMAGE_FAILED(*image);
}
#endif
