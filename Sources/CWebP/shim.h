// Shim for libwebp's animation decoder (libwebpdemux; still WebP files decode through it too), opened lazily.
//
// Opened with dlopen when a WebP is first read; Swift calls the `mlwb_webp_*` wrappers (the module map
// links nothing; see lazy_load.h). The header's inline helpers call version-checked `...Internal` entry
// points, which are what get bound here.
#ifndef MLWB_CWEBP_SHIM_H
#define MLWB_CWEBP_SHIM_H
#include <webp/decode.h>
#include <webp/demux.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libwebpdemux.so.2, bound on first use.
#define MLWB_WEBPDEMUX_BIND(name) MLWB_LAZY_BIND("libwebpdemux.so.2", "libwebpdemux2", name)

// MARK: Entry points

static inline int mlwb_webp_anim_options_init(WebPAnimDecoderOptions *options) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderOptionsInitInternal); return f(options, WEBP_DEMUX_ABI_VERSION);
}
static inline WebPAnimDecoder *mlwb_webp_anim_new(const uint8_t *bytes, size_t size, const WebPAnimDecoderOptions *options) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderNewInternal);
    WebPData data = { bytes, size };
    return f(&data, options, WEBP_DEMUX_ABI_VERSION);
}
static inline int mlwb_webp_anim_info(const WebPAnimDecoder *decoder, WebPAnimInfo *info) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderGetInfo); return f(decoder, info);
}
static inline int mlwb_webp_anim_has_more(const WebPAnimDecoder *decoder) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderHasMoreFrames); return f(decoder);
}
static inline int mlwb_webp_anim_next(WebPAnimDecoder *decoder, uint8_t **frame, int *timestamp) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderGetNext); return f(decoder, frame, timestamp);
}
static inline void mlwb_webp_anim_delete(WebPAnimDecoder *decoder) {
    MLWB_WEBPDEMUX_BIND(WebPAnimDecoderDelete); f(decoder);
}

// MARK: Constants

static inline WEBP_CSP_MODE mlwb_webp_mode_rgba(void) { return MODE_RGBA; }
#endif
