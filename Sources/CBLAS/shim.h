// Shim for OpenBLAS's CBLAS interface (Debian libopenblas0 / libopenblas-dev), loaded lazily.
//
// OpenBLAS starts its thread pool in a library constructor, and the idle threads spin
// (sched_yield) for a while after start-up. Linked normally, every mlwb command — `show`, `--help`,
// the workbench's first frame — would pay for that on a 2-core machine. So the library is opened
// with dlopen the first time a GEMM is needed, and only the few entry points mlwb uses are bound.
#ifndef MLWB_CBLAS_SHIM_H
#define MLWB_CBLAS_SHIM_H
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "../CFloatEnv/shim.h"

// The CBLAS enums, with the values every CBLAS uses.
typedef enum CBLAS_ORDER { CblasRowMajor = 101, CblasColMajor = 102 } CBLAS_ORDER;
typedef enum CBLAS_TRANSPOSE { CblasNoTrans = 111, CblasTrans = 112, CblasConjTrans = 113, CblasConjNoTrans = 114 } CBLAS_TRANSPOSE;

typedef void (*mlwb_sgemm_fn)(enum CBLAS_ORDER, enum CBLAS_TRANSPOSE, enum CBLAS_TRANSPOSE, int, int, int,
                              float, const float *, int, const float *, int, float, float *, int);
typedef void (*mlwb_set_threads_fn)(int);

/// Ends a process that loaded OpenBLAS without running library destructors: OpenBLAS's
/// (blas_thread_shutdown_) can wait forever joining a pool thread that sleeps on its condition
/// variable (seen here at the end of a test run: every test passed, the process never left). The
/// mlwb executable leaves with `_exit` anyway; this does the same for any other process (the test
/// bundle), keeping the exit status. Registered after dlopen, so it runs before the handlers
/// registered earlier, which are skipped; stdio is flushed first.
static inline void mlwb_openblas_leave(int status, void *unused) {
    (void)unused;
    fflush(NULL);
    _exit(status);
}

/// Resolves `name` in OpenBLAS, opening the library on first use; exits with a clear message if it is missing.
static inline void *mlwb_openblas_symbol(const char *name) {
    static void *handle = NULL;
    void *h = __atomic_load_n(&handle, __ATOMIC_ACQUIRE);
    if (h == NULL) {
        // Idle OpenBLAS threads spin-yield for 2^28 cycles by default, stealing a core from mlwb's
        // own threads between GEMMs (0.4 s of sched_yield in one transcription). 2^10 cycles lets
        // them sleep almost at once; read by OpenBLAS's constructor, so set before dlopen and
        // removed afterwards (child processes, e.g. the PyTorch reference of `mlwb bench`, must
        // not inherit it).
        int ours = getenv("OPENBLAS_THREAD_TIMEOUT") == NULL;
        if (ours) setenv("OPENBLAS_THREAD_TIMEOUT", "10", 1);
        // The pool threads, started in that constructor, keep the floating-point control register
        // of the thread that created them (they do not take the caller's on each call): load the
        // library with subnormals flushed (FTZ/DAZ, as `DenormalMode.forComputation`) so that its
        // threads flush for good, then give this thread its own setting back.
        unsigned long long control = mlwb_fpenv_control();
        if (mlwb_fpenv_flush_requested()) mlwb_fpenv_set_control(control | mlwb_fpenv_flush_bits());
        h = dlopen("libopenblas.so.0", RTLD_NOW | RTLD_GLOBAL);
        if (h == NULL) h = dlopen("libopenblas.so", RTLD_NOW | RTLD_GLOBAL);
        mlwb_fpenv_set_control(control);
        if (ours) unsetenv("OPENBLAS_THREAD_TIMEOUT");
        if (h == NULL) {
            fprintf(stderr, "mlwb: cannot load OpenBLAS (%s); install it with: apt-get install libopenblas0\n", dlerror());
            exit(1);
        }
        on_exit(mlwb_openblas_leave, NULL);
        __atomic_store_n(&handle, h, __ATOMIC_RELEASE);
    }
    void *symbol = dlsym(h, name);
    if (symbol == NULL) {
        fprintf(stderr, "mlwb: OpenBLAS has no %s (%s)\n", name, dlerror());
        exit(1);
    }
    return symbol;
}

/// C = alpha·op(A)·op(B) + beta·C (single precision), as CBLAS defines it.
static inline void cblas_sgemm(enum CBLAS_ORDER order, enum CBLAS_TRANSPOSE transA, enum CBLAS_TRANSPOSE transB,
                               int m, int n, int k, float alpha, const float *a, int lda, const float *b, int ldb,
                               float beta, float *c, int ldc) {
    static mlwb_sgemm_fn fn = NULL;
    mlwb_sgemm_fn f = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);
    if (f == NULL) {
        f = (mlwb_sgemm_fn)mlwb_openblas_symbol("cblas_sgemm");
        __atomic_store_n(&fn, f, __ATOMIC_RELEASE);
    }
    f(order, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

/// Sets the number of threads OpenBLAS uses for one call.
static inline void openblas_set_num_threads(int count) {
    static mlwb_set_threads_fn fn = NULL;
    mlwb_set_threads_fn f = __atomic_load_n(&fn, __ATOMIC_ACQUIRE);
    if (f == NULL) {
        f = (mlwb_set_threads_fn)mlwb_openblas_symbol("openblas_set_num_threads");
        __atomic_store_n(&fn, f, __ATOMIC_RELEASE);
    }
    f(count);
}
#endif
