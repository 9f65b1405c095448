// Shim for libarchive: zip (stored and deflate), tar, tar.gz/bz2/xz reading.
#ifndef MLWB_CARCHIVE_SHIM_H
#define MLWB_CARCHIVE_SHIM_H
#include <archive.h>
#include <archive_entry.h>
#endif
