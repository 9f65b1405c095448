// Shim for OpenBLAS's CBLAS interface (Debian libopenblas-dev).
#ifndef MLWB_CBLAS_SHIM_H
#define MLWB_CBLAS_SHIM_H
#include <cblas.h>
#endif
