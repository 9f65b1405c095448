// The calling thread's handling of subnormal floats (no library: CPU control registers only).
//
// Subnormal floats (below 2^-126 in magnitude) take microcode assists on many CPUs, up to ~100
// cycles an operation; in a network they are numerical noise. Flush-to-zero turns subnormal results
// into 0, denormals-are-zero reads subnormal inputs as 0. Both are per-thread state: x86-64 MXCSR
// bits 15 (FTZ) and 6 (DAZ), AArch64 FPCR bit 24 (FZ, both at once). New threads start with their
// creator's setting. Swift reaches these through Media's `DenormalMode`; the OpenBLAS shim uses them
// directly around the dlopen that starts OpenBLAS's thread pool.
#ifndef MLWB_FLOAT_ENV_H
#define MLWB_FLOAT_ENV_H
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
/// MXCSR flush-to-zero and denormals-are-zero bits.
#define MLWB_FLUSH_BITS ((1u << 15) | (1u << 6))
#elif defined(__aarch64__)
/// FPCR flush-to-zero bit.
#define MLWB_FLUSH_BITS (1ull << 24)
#else
#define MLWB_FLUSH_BITS 0
#endif

/// The calling thread's floating-point control register (MXCSR or FPCR; 0 elsewhere).
static inline unsigned long long mlwb_fpenv_control(void) {
#if defined(__x86_64__)
    unsigned int csr;
    __asm__ __volatile__("stmxcsr %0" : "=m"(csr) : : "memory");
    return csr;
#elif defined(__aarch64__)
    unsigned long long fpcr;
    __asm__ __volatile__("mrs %0, fpcr" : "=r"(fpcr) : : "memory");
    return fpcr;
#else
    return 0;
#endif
}

/// Loads `value` into the calling thread's floating-point control register.
static inline void mlwb_fpenv_set_control(unsigned long long value) {
#if defined(__x86_64__)
    unsigned int csr = (unsigned int)value;
    __asm__ __volatile__("ldmxcsr %0" : : "m"(csr) : "memory");
#elif defined(__aarch64__)
    __asm__ __volatile__("msr fpcr, %0" : : "r"(value) : "memory");
#else
    (void)value;
#endif
}

/// The bits of the control register that flush subnormals (0 where this build cannot flush).
static inline unsigned long long mlwb_fpenv_flush_bits(void) { return MLWB_FLUSH_BITS; }

/// Whether compute threads should flush subnormals: yes unless MLWB_DENORMALS=preserve.
static inline int mlwb_fpenv_flush_requested(void) {
    const char *value = getenv("MLWB_DENORMALS");
    return value == NULL || strcmp(value, "preserve") != 0;
}
#endif
