// Opening C libraries on first use, for the shims of libraries only some commands need.
//
// Every library mlwb links is loaded, with all its dependencies, before `main` runs: libcurl,
// libarchive, libsndfile and libcrypto brought ~50 shared objects and ~6 ms to every command. Their
// shims instead include this header and wrap each entry point they use:
//
//     static inline CURL *mlwb_curl_easy_init(void) { MLWB_CURL_BIND(curl_easy_init); return f(); }
//
// The wrapper binds `f` (typed from the library's own prototype) the first time it runs. The
// module maps of these shims link nothing, so a call to the real function from Swift fails to link.
#ifndef MLWB_LAZY_LOAD_H
#define MLWB_LAZY_LOAD_H
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

/// The address of `name` in the library `soname`, opening it if needed (dlopen finds a library that
/// is already open); exits with a message naming the Debian `package` if it cannot.
static inline void *mlwb_lazy_symbol(const char *soname, const char *package, const char *name) {
    void *handle = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) {
        fprintf(stderr, "mlwb: cannot load %s (%s); install it with: apt-get install %s\n", soname, dlerror(), package);
        exit(1);
    }
    void *symbol = dlsym(handle, name);
    if (symbol == NULL) {
        fprintf(stderr, "mlwb: %s has no %s (%s)\n", soname, name, dlerror());
        exit(1);
    }
    return symbol;
}

/// Declares `f`, the entry point `name` of `soname` with its own prototype, bound on first use.
#define MLWB_LAZY_BIND(soname, package, name) \
    static __typeof__(&name) bound = NULL; \
    __typeof__(&name) f = __atomic_load_n(&bound, __ATOMIC_ACQUIRE); \
    if (f == NULL) { \
        f = (__typeof__(&name))mlwb_lazy_symbol(soname, package, #name); \
        __atomic_store_n(&bound, f, __ATOMIC_RELEASE); \
    }
#endif
