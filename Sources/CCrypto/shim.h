// Shim for OpenSSL's libcrypto (streaming SHA-256 and MD5 through the EVP API), opened lazily.
//
// libcrypto is large (thousands of relocations) and only downloads and checkpoint verification
// hash anything, so it is opened with dlopen on first use; Swift calls the `mlwb_EVP_*` wrappers
// below (the module map links nothing).
#ifndef MLWB_CCRYPTO_SHIM_H
#define MLWB_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include "../CLazyLoad/lazy_load.h"

// Declares `f`, the entry point `name` of libcrypto.so.3, bound on first use (see lazy_load.h).
#define MLWB_CRYPTO_BIND(name) MLWB_LAZY_BIND("libcrypto.so.3", "libssl3", name)

// MARK: Entry points

static inline EVP_MD_CTX * mlwb_EVP_MD_CTX_new(void) { MLWB_CRYPTO_BIND(EVP_MD_CTX_new); return f(); }
static inline void mlwb_EVP_MD_CTX_free(EVP_MD_CTX *context) { MLWB_CRYPTO_BIND(EVP_MD_CTX_free); f(context); }
static inline int mlwb_EVP_MD_CTX_copy_ex(EVP_MD_CTX *out, const EVP_MD_CTX *in) { MLWB_CRYPTO_BIND(EVP_MD_CTX_copy_ex); return f(out, in); }
static inline int mlwb_EVP_DigestInit_ex(EVP_MD_CTX *context, const EVP_MD *type, ENGINE *engine) { MLWB_CRYPTO_BIND(EVP_DigestInit_ex); return f(context, type, engine); }
static inline int mlwb_EVP_DigestUpdate(EVP_MD_CTX *context, const void *data, size_t count) { MLWB_CRYPTO_BIND(EVP_DigestUpdate); return f(context, data, count); }
static inline int mlwb_EVP_DigestFinal_ex(EVP_MD_CTX *context, unsigned char *digest, unsigned int *length) { MLWB_CRYPTO_BIND(EVP_DigestFinal_ex); return f(context, digest, length); }
static inline const EVP_MD * mlwb_EVP_sha256(void) { MLWB_CRYPTO_BIND(EVP_sha256); return f(); }
static inline const EVP_MD * mlwb_EVP_md5(void) { MLWB_CRYPTO_BIND(EVP_md5); return f(); }
#endif
