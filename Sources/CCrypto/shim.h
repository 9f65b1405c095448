// Shim for OpenSSL's libcrypto (streaming SHA-256 and MD5 through the EVP API), opened lazily.
//
// libcrypto is large (thousands of relocations) and only downloads and checkpoint verification
// hash anything, so it is opened with dlopen on first use; Swift calls the `mlwb_EVP_*` wrappers
// below (the module map links nothing).
#ifndef MLWB_CCRYPTO_SHIM_H
#define MLWB_CCRYPTO_SHIM_H
#include <openssl/evp.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/// Resolves `name` in libcrypto.so.3, opening it on first use; exits with a clear message if it is missing.
static inline void *mlwb_crypto_symbol(const char *name) {
    static void *handle = NULL;
    void *h = __atomic_load_n(&handle, __ATOMIC_ACQUIRE);
    if (h == NULL) {
        h = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
        if (h == NULL) {
            fprintf(stderr, "mlwb: cannot load libcrypto.so.3 (%s); install it with: apt-get install libssl3\n", dlerror());
            exit(1);
        }
        __atomic_store_n(&handle, h, __ATOMIC_RELEASE);
    }
    void *symbol = dlsym(h, name);
    if (symbol == NULL) {
        fprintf(stderr, "mlwb: libcrypto.so.3 has no %s (%s)\n", name, dlerror());
        exit(1);
    }
    return symbol;
}

// Declares `f`, the entry point `name` with its own prototype, bound on first use.
#define MLWB_CRYPTO_BIND(name) \
    static __typeof__(&name) bound = NULL; \
    __typeof__(&name) f = __atomic_load_n(&bound, __ATOMIC_ACQUIRE); \
    if (f == NULL) { \
        f = (__typeof__(&name))mlwb_crypto_symbol(#name); \
        __atomic_store_n(&bound, f, __ATOMIC_RELEASE); \
    }

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
